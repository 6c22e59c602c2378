/**
 * csvHeader reads the header row of CSV text the way the server's import does
 * (runtime/transfer): the separator is the comma, semicolon or tab that occurs most in
 * the first line outside quotes; blank lines are skipped but counted; the header is
 * the record that starts on line headerRow (from 1). Headers are trimmed. It answers
 * null when that line holds no record or only empty cells.
 *
 * @example
 * csvHeader('Name;Phone\n王芳;13800138000\n') // ["Name", "Phone"]
 */
export function csvHeader(text: string, headerRow = 1): string[] | null {
  const body = text.replace(/^\uFEFF/, '');
  const sep = separatorOf(body.slice(0, body.indexOf('\n') === -1 ? body.length : body.indexOf('\n')));
  let line = 1;
  let i = 0;
  while (i < body.length && line <= headerRow) {
    if (body[i] === '\n' || (body[i] === '\r' && body[i + 1] === '\n')) {
      i += body[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    const rec = readRecord(body, i, sep);
    if (start === headerRow) {
      const cells = rec.cells.map((c) => c.replace(/^\uFEFF/, '').trim());
      return cells.some((c) => c !== '') ? cells : null;
    }
    line += rec.lines;
    i = rec.next;
  }
  return null;
}

function separatorOf(firstLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of firstLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c]!++;
  }
  let best = ',';
  for (const c of ['\t', ';']) if (counts[c]! > counts[best]!) best = c;
  return best;
}

/** readRecord reads one record from i: its cells, where the next begins, and the line breaks it consumed. */
function readRecord(s: string, i: number, sep: string): { cells: string[]; next: number; lines: number } {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let lines = 0; // line breaks inside quotes
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') lines++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && s[i + 1] === '\n')) {
      i += c === '\r' ? 2 : 1;
      cells.push(cell);
      return { cells, next: i, lines: lines + 1 };
    } else cell += c;
    i++;
  }
  cells.push(cell);
  return { cells, next: i, lines };
}
