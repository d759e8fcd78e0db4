//! A text cut into paragraphs, sentences and tokens, each token with its morphology.
//!
//! Segmentation is anySeg's: it keeps «т. е.», «ст. 7», «27.07.2010», «№ 210-ФЗ» and initials
//! inside one sentence and starts a sentence at list items, which official texts need and
//! hand-written regexes get wrong. Everything here is in byte offsets of the source; only the
//! report speaks characters.

use std::ops::Range;
use std::sync::OnceLock;

use anyseg::Segmenter;

use crate::lexicon;
use crate::morph::{self, WordInfo};

/// Abbreviations of official texts that anySeg's Russian list may lack: a period after them
/// does not end a sentence.
const OFFICIAL_ABBREVIATIONS: [&str; 24] = [
    "ст", "ч", "п", "пп", "подп", "абз", "гл", "разд", "прил", "утв", "ред", "изм", "доп", "каб", "корп", "стр", "тел", "руб", "коп",
    "тыс", "млн", "млрд", "обл", "искл",
];

fn segmenter() -> &'static Segmenter {
    static SEGMENTER: OnceLock<Segmenter> = OnceLock::new();
    SEGMENTER.get_or_init(|| {
        let russian = Segmenter::new("ru").expect("the ru feature of anyseg is enabled");
        russian.clone().with_abbreviations(OFFICIAL_ABBREVIATIONS).unwrap_or(russian)
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Has a letter: counted as a word and analysed.
    Word,
    /// Digits without letters: counted as a word, not analysed.
    Number,
    /// Punctuation and symbols.
    Mark,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub info: WordInfo,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind != Kind::Mark
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
    /// Words and numbers in it.
    pub words: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Paragraph {
    pub sentences: Range<usize>,
    pub words: usize,
}

pub(crate) struct Text<'a> {
    pub source: &'a str,
    /// `source` lower-cased at the same byte offsets, «ё» as «е».
    pub lower: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Paragraph>,
}

impl<'a> Text<'a> {
    pub fn analyse(source: &'a str) -> Self {
        let doc = segmenter().segment(source);
        let mut tokens = Vec::with_capacity(doc.tokens().len());
        for span in doc.tokens() {
            let form = &source[span.start..span.end];
            let kind = if form.chars().any(char::is_alphabetic) {
                Kind::Word
            } else if form.chars().any(|c| c.is_ascii_digit()) {
                Kind::Number
            } else {
                Kind::Mark
            };
            let info = if kind == Kind::Word { morph::word_info(form) } else { WordInfo { flags: 0, lemma: lexicon::NONE } };
            tokens.push(Token { start: span.start, end: span.end, kind, info });
        }
        let sentences: Vec<Sentence> = (0..doc.sentence_count())
            .map(|index| {
                let sentence = doc.sentence(index);
                let words = tokens[sentence.tokens.clone()].iter().filter(|t| t.is_word()).count();
                Sentence { start: sentence.span.start, end: sentence.span.end, tokens: sentence.tokens, words }
            })
            .collect();
        let paragraphs = (0..doc.paragraph_count())
            .map(|index| {
                let paragraph = doc.paragraph(index);
                let words = sentences[paragraph.sentences.clone()].iter().map(|s| s.words).sum();
                Paragraph { sentences: paragraph.sentences, words }
            })
            .collect();
        Text { source, lower: lexicon::lower(source), tokens, sentences, paragraphs }
    }

    /// The token as written.
    pub fn form(&self, token: usize) -> &str {
        let t = &self.tokens[token];
        &self.source[t.start..t.end]
    }

    /// The token lower-cased, «ё» as «е».
    pub fn lower(&self, token: usize) -> &str {
        let t = &self.tokens[token];
        &self.lower[t.start..t.end]
    }

    /// The sentence holding a byte offset.
    pub fn sentence_at(&self, byte: usize) -> Option<usize> {
        let index = self.sentences.partition_point(|s| s.end <= byte);
        (index < self.sentences.len() && self.sentences[index].start <= byte).then_some(index)
    }

    pub fn word_count(&self) -> usize {
        self.sentences.iter().map(|s| s.words).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_text_survives_segmentation() {
        let text = Text::analyse(
            "Согласно ст. 7 Федерального закона от 27.07.2010 № 210-ФЗ заявитель, т. е. гражданин, подаёт заявление в г. Москве. \
             И. И. Иванов подписал приказ 12.03.2026.\n\n1. Первый пункт\n2. Второй пункт",
        );
        assert_eq!(text.sentences.len(), 4, "{:?}", text.sentences);
        assert_eq!(text.paragraphs.len(), 2);
        // «№» is a mark, not a word.
        assert_eq!(text.sentences[0].words, 17);
    }
}
