// Plain text with a little Markdown → Asana's rich text (html_notes / html_text): a <body> with
// <strong>, <em>, <code>, <a href> and <ul><li>, everything else escaped. Asana rejects HTML
// outside its subset, so nothing the user wrote is passed through as markup.

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(line: string): string {
  let out = escape(line);
  out = out.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, text: string, href: string) => `<a href="${href}">${text}</a>`);
  out = out.replace(/`([^`]+)`/g, '<code>$1</code>');
  out = out.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  out = out.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  return out;
}

/** The Asana rich-text document for `text`. */
export function toAsanaRichText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const parts: string[] = [];
  let list: string[] | undefined;
  const flush = () => {
    if (list) parts.push(`<ul>${list.map((i) => `<li>${i}</li>`).join('')}</ul>`);
    list = undefined;
  };
  for (const line of lines) {
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      (list ??= []).push(inline(item[1]!));
      continue;
    }
    flush();
    parts.push(inline(line));
  }
  flush();
  // Lines join with newlines, which Asana keeps as line breaks; a list already ends its line.
  return `<body>${parts.join('\n').replace(/\n?(<ul>)/g, '$1').replace(/(<\/ul>)\n?/g, '$1')}</body>`;
}
