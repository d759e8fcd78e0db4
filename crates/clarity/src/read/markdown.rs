//! Markdown to text: the words a reader sees, without markup. Blocks become paragraphs
//! separated by a blank line, so the segmenter and the paragraph rule see the same structure
//! the reader does; code blocks are left out, as they are not prose.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub(super) fn to_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_code_block = false;
    for event in Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(text) | Event::Code(text) if !in_code_block => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                break_paragraph(&mut out)
            }
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

fn break_paragraph(out: &mut String) {
    out.truncate(out.trim_end().len());
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup_and_keeps_paragraphs() {
        let text = to_text("# Заголовок\n\nТекст **жирный** и [ссылка](http://x).\nВторая строка.\n\n- один\n- два\n\n```\ncode\n```\n");
        assert_eq!(text, "Заголовок\n\nТекст жирный и ссылка.\nВторая строка.\n\nодин\n\nдва");
    }
}
