//! Two `okno serve` processes on one PostgreSQL database, as a scaled-out deployment runs:
//! concurrent moves of the same request through both nodes give exactly one transition,
//! never a lost or a doubled one.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const OKNO: &str = env!("CARGO_BIN_EXE_okno");

struct Node {
    child: Child,
    base: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(cmd: &str, db: &str, data: &std::path::Path) -> Node {
    let mut args = vec![cmd, "--listen", "127.0.0.1:0", "--database", db];
    if cmd == "demo" {
        args.extend(["--requests", "0"]);
    }
    let mut child = Command::new(OKNO).args(&args).arg("--data").arg(data).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("okno printed its address").unwrap();
        if let Some(url) = line.strip_prefix("Okno is serving on ") {
            break url.to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Node { child, base }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgres_never_double_a_move() {
    let Some(db) = okno_store::testing::fresh_postgres_database().await else { return };
    let dir = tempfile::tempdir().unwrap();
    // The first node loads the demo (chains included); the second serves the same database.
    let a = start("demo", &db, dir.path());
    let b = start("serve", &db, dir.path());
    let out = Command::new(OKNO)
        .args(["admin", "token", "--email", "admin@okno.example", "--scope", "write", "--database", &db])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().lines().last().unwrap().to_string();
    let http = reqwest::Client::new();

    let offerings: Value = http
        .get(format!("{}/api/v1/offerings?status=published&kind=service&per_page=50", a.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let offering =
        offerings["items"].as_array().unwrap().iter().find(|o| o["name"] == "Рассмотрение обращений граждан").unwrap()["id"].clone();

    for round in 0..5 {
        let made: Value = http
            .post(format!("{}/api/v1/requests", a.base))
            .bearer_auth(&token)
            .json(&json!({"offering_id": offering, "client_name": "Узлов Пётр", "client_phone": "+7 900 000-00-00", "subject": format!("Раунд {round}")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = made["id"].as_str().unwrap().to_string();
        // Eight moves decided on version 1, half through each node, all at once.
        let calls = (0..8).map(|i| {
            let base = if i % 2 == 0 { a.base.clone() } else { b.base.clone() };
            let (http, token, id) = (http.clone(), token.clone(), id.clone());
            tokio::spawn(async move {
                http.post(format!("{base}/api/v1/requests/{id}/moves"))
                    .bearer_auth(token)
                    .json(&json!({"move": "complete", "version": 1}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        });
        let mut statuses = Vec::new();
        for c in calls {
            statuses.push(c.await.unwrap());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "round {round}: exactly one move wins: {statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "the others are told someone was first: {statuses:?}");
        let card: Value =
            http.get(format!("{}/api/v1/requests/{id}", b.base)).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(card["version"], 2);
        assert_eq!(card["stage"], "route");
        let completed = card["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "completed").count();
        assert_eq!(completed, 1, "round {round}: one transition recorded, not two");
    }
}
