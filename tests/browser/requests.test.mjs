// Journey 4, on the demo: a citizen submits an appeal through the public form and follows
// it by tracking code; an executor finds it by that code, moves it stage by stage, asks the
// citizen for a detail, and closes it with the answer. Both sides are checked with axe.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyId, checkA11y, launchBrowser, navigateBy, newPage, shot, signIn, startDemo, text, visit } from './helpers.mjs';

const MFC = 'МФЦ городского округа (демо)';
const SERVICE = 'Рассмотрение обращений граждан';

describe('a request from the citizen to the answer', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let citizen;
  let executor;
  let code;

  before(async () => {
    server = await startDemo();
    browser = await launchBrowser();
    citizen = await newPage(browser, server.url);
    executor = await newPage(browser, server.url);
    await signIn(executor, 'executor@mfc.okno.example');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the citizen finds the service and submits the form, fixing a missing contact', async () => {
    const mfc = await bodyId(citizen, MFC);
    await visit(citizen, `/offerings?body=${mfc}&q=${encodeURIComponent('обращений')}`);
    await navigateBy(citizen, citizen.getByRole('link', { name: SERVICE, exact: true }));
    // The service page shows how it is delivered, stage by stage, with the legal terms.
    assert.match(await text(citizen.locator('ol.stages')), /Регистрация обращения — ч\. 2 ст\. 8 59-ФЗ: 3 дня/);
    await navigateBy(citizen, citizen.getByRole('link', { name: 'Подать заявку' }));
    await checkA11y(citizen, 'request form');
    await citizen.getByLabel('Суть заявки').fill('Во дворе дома 5 по ул. Ленина третью неделю не горит фонарь.');
    await citizen.getByLabel('Фамилия, имя и отчество').fill('Смирнова Анна Олеговна');
    const refused = await navigateBy(citizen, citizen.getByRole('button', { name: 'Отправить заявку' }));
    assert.equal(refused.status(), 422);
    assert.match(await text(citizen.locator('.error-summary')), /Укажите почту, телефон или почтовый адрес/);
    assert.equal(await citizen.getByLabel('Суть заявки').inputValue(), 'Во дворе дома 5 по ул. Ленина третью неделю не горит фонарь.', 'input is kept');
    await citizen.getByLabel('Телефон').fill('+7 900 123-45-67');
    await navigateBy(citizen, citizen.getByRole('button', { name: 'Отправить заявку' }));
    assert.match(await text(citizen.locator('.notice')), /Заявка отправлена/);
    code = await text(citizen.locator('.notice strong.code'));
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.match(await text(citizen.locator('dl.summary-list')), /Обращение получено и регистрируется/);
    await checkA11y(citizen, 'status page');
    await shot(citizen, 'request-status');
  });

  test('the executor finds it by code and moves it on, then asks the citizen', async () => {
    await visit(executor, '/');
    await navigateBy(executor, executor.locator('nav.site-nav').getByRole('link', { name: 'Заявки', exact: true }));
    // The queues count what is overdue and due soon.
    assert.match(await text(executor.locator('nav.tabs')), /Просроченные \(\d+\)/);
    await checkA11y(executor, 'request queue');
    // Codes are read out on the phone: lower case and a space instead of the dash work too.
    await executor.getByLabel('Код заявки').fill(code.toLowerCase().replace('-', ' '));
    await navigateBy(executor, executor.getByRole('button', { name: 'Показать' }));
    assert.equal(await text(executor.locator('h1')), `Заявка ${code}`);
    assert.match(await text(executor.locator('dl.summary-list')), /Смирнова Анна Олеговна/);
    await navigateBy(executor, executor.getByRole('button', { name: 'Этап выполнен' }));
    assert.match(await text(executor.locator('dl.summary-list')), /Определение компетенции/);
    await navigateBy(executor, executor.getByRole('button', { name: 'Этап выполнен' }));
    await executor.getByLabel('Что нужно от заявителя').fill('Уточните, пожалуйста, номер подъезда, у которого стоит фонарь.');
    await navigateBy(executor, executor.getByRole('button', { name: 'Запросить у заявителя' }));
    assert.match(await text(executor.locator('main p').first()), /Ждёт заявителя/);
    await checkA11y(executor, 'request card');
    await shot(executor, 'request-card');
  });

  test('the citizen sees the question on the status page and answers it', async () => {
    await visit(citizen, '/status');
    await citizen.getByLabel('Код заявки').fill(code);
    await navigateBy(citizen, citizen.getByRole('button', { name: 'Найти' }));
    assert.match(await text(citizen.locator('section.panel')), /Уточните, пожалуйста, номер подъезда/);
    await citizen.getByLabel('Ваш ответ', { exact: true }).fill('Второй подъезд.');
    await navigateBy(citizen, citizen.getByRole('button', { name: 'Отправить ответ' }));
    assert.equal(await citizen.locator('section.panel').count(), 0, 'no longer waiting');
    assert.match(await text(citizen.locator('ol.timeline')), /Запрошено у заявителя/);
  });

  test('the executor finishes the stages and closes with the answer; the citizen sees it', async () => {
    await executor.reload();
    await navigateBy(executor, executor.getByRole('button', { name: 'Этап выполнен' }));
    assert.match(await text(executor.locator('dl.summary-list')), /Ответ/);
    await executor.getByLabel('Результат').selectOption('answered');
    await navigateBy(executor, executor.getByRole('button', { name: 'Завершить с результатом' }));
    assert.match(await text(executor.locator('main p').first()), /Завершена/);
    await citizen.reload();
    assert.match(await text(citizen.locator('main')), /Дан ответ/);
    // The history on the status page shows no staff notes and no one's name.
    assert.doesNotMatch(await text(citizen.locator('main')), /executor@|account:/);
  });
});
