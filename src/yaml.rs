//! Limits checked on YAML (front matter and `config.yaml`) before serde_yaml reads it. serde_yaml
//! copies an alias's value wherever it is used (a 1 MB front matter of `*a` took 10 GB), and
//! libyaml's scanner does work in proportion to the open flow collections (`[`, `{`) for every
//! token, so `[[[…` 100,000 deep took 22 s. Front matter and configuration never need anchors,
//! aliases or deep nesting, so they are refused with their place before parsing.

use rust_i18n::t;

/// Flow collections (`[…]`, `{…}`) open inside each other at most.
pub const MAX_FLOW_DEPTH: usize = 32;

/// Why a YAML text is refused, and where (a byte offset in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// Scans `yaml` once, following quotes, comments and block scalars (`|`, `>`), and refuses the
/// first anchor (`&a`) or alias (`*a`) and flow nesting deeper than [`MAX_FLOW_DEPTH`].
pub fn check(yaml: &str) -> Result<(), Refusal> {
    let mut depth = 0usize;
    // An open quoted scalar, which may go on over several lines.
    let mut quote: Option<char> = None;
    // The indentation of the line that opened a block scalar: more indented lines are its text.
    let mut block_scalar: Option<usize> = None;
    let mut line_start = 0;
    for line in yaml.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if content.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        // Where a node may begin (line start, after `key: `, `- `, `[`, `,` in a flow), an
        // `&` or `*` is an anchor or alias; inside a plain scalar it is text.
        let mut at_node = quote.is_none();
        let mut after_space = true;
        let mut chars = content.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if let Some(q) = quote {
                // `\x` in double quotes and `''` in single quotes do not close them.
                let escaped =
                    (q == '"' && c == '\\') || (c == q && q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\''));
                if escaped {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            if c == ' ' || c == '\t' {
                after_space = true;
                continue;
            }
            if c == '#' && after_space {
                break;
            }
            after_space = false;
            let next_is_space = chars.peek().is_none_or(|&(_, n)| n == ' ' || n == '\t');
            if at_node {
                match c {
                    '&' | '*' => {
                        let token: String =
                            content[i..].chars().take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c)).collect();
                        let token = crate::diagnostic::excerpt(&token);
                        let message =
                            if c == '&' { t!("yaml.anchor", token = token) } else { t!("yaml.alias", token = token) };
                        return Err(Refusal {
                            offset: start + i,
                            message: message.into_owned(),
                            hint: t!("yaml.anchor_hint", char = c).into_owned(),
                        });
                    }
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Err(too_deep(start + i));
                        }
                        continue;
                    }
                    '"' | '\'' => {
                        quote = Some(c);
                        at_node = false;
                        continue;
                    }
                    '|' | '>' if depth == 0 => {
                        block_scalar = Some(indent);
                        break;
                    }
                    '-' | '?' | ':' if next_is_space => continue,
                    '!' => {
                        while chars.next_if(|&(_, n)| !n.is_whitespace()).is_some() {}
                        continue;
                    }
                    _ => at_node = false,
                }
            }
            match c {
                ':' if next_is_space || (depth > 0 && chars.peek().is_some_and(|&(_, n)| ",[]{}".contains(n))) => {
                    at_node = true
                }
                ',' if depth > 0 => at_node = true,
                '[' | '{' if depth > 0 => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(too_deep(start + i));
                    }
                    at_node = true;
                }
                ']' | '}' if depth > 0 => depth -= 1,
                _ => {}
            }
        }
    }
    Ok(())
}

fn too_deep(offset: usize) -> Refusal {
    Refusal {
        offset,
        message: t!("yaml.too_deep", max = MAX_FLOW_DEPTH).into_owned(),
        hint: t!("yaml.too_deep_hint").into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_front_matter_holds() {
        for yaml in [
            "title: A&B 与 5*3\nsummary: 第*一*条，见 https://x.org/a?b=1&c=*\n",
            "title: \"*重要*通知\"\ntopics: ['&符号', \"它的\\\"*号\\\"\"]\n",
            "summary: |\n  *第一行\n  &第二行\ntitle: t\n",
            "summary: >-\n  * 列表样的文字\n\n  & 续\n",
            "title: t # 注释 *a &b\n# *c\n",
            "topics: [社会工作, 基层治理]\nrelated:\n  - cases/a.md\n",
            "sections:\n  - {dir: cases, title: 案例}\n",
            "title: 'it''s *a'\n",
            "title: \"多行\n  *引号里\"\n",
            "title: 关于[试行]的通知【*】\n",
        ] {
            assert_eq!(check(yaml), Ok(()), "{yaml}");
        }
    }

    #[test]
    fn refuses_anchors_aliases_and_deep_flows() {
        for (yaml, at, what) in [
            ("summary: &a 长文\ntopics: [*a, *a]\n", 9, "`&a` is an anchor"),
            ("topics: [甲, *a]\n", 14, "`*a` is an alias"),
            ("topics:\n  - *a\n", 12, "`*a` is an alias"),
            ("title: !!str &x t\n", 13, "`&x` is an anchor"),
            ("title: *重要*通知\n", 7, "an alias"),
            ("a: {b: *c}\n", 7, "`*c` is an alias"),
            (&format!("summary: {}\n", "[".repeat(40)), 9 + MAX_FLOW_DEPTH, "nested more than"),
            (&format!("summary: [{}]\n", "{a: [".repeat(20)), 89, "nested more than"),
        ] {
            let r = check(yaml).unwrap_err();
            assert_eq!(r.offset, at, "{yaml}: {r:?}");
            assert!(r.message.contains(what), "{yaml}: {r:?}");
        }
    }

    #[test]
    fn scans_a_long_flow_once() {
        // 100,000 aliases: refused at the first, whatever follows.
        let yaml = format!("summary: x\ntopics: [{}]\n", vec!["*a"; 100_000].join(", "));
        assert_eq!(check(&yaml).unwrap_err().offset, 20);
    }
}
