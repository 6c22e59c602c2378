/** XlsxHeader is a workbook's sheet names and the header row of the sheet read. */
export interface XlsxHeader {
  sheets: string[];
  sheet: string;
  /** headers is null when the header row is missing or empty. */
  headers: string[] | null;
}

/** MAX_PART bounds what one part of the workbook may expand to while its header is read. */
const MAX_PART = 32 << 20;

/**
 * xlsxHeader reads the sheet names of an .xlsx workbook and the header row (from 1) of
 * one sheet (the first when sheet is empty), without a spreadsheet library: a workbook
 * is a zip archive of XML parts, inflated with the browser's DecompressionStream and
 * read only as far as the header row. Cells are read as the server reads them: shared
 * and inline strings as text, numbers as stored. It throws an Error whose message is
 * "unreadable_file" or "unknown_sheet" when the workbook cannot be read that way.
 *
 * @example
 * await xlsxHeader(await file.arrayBuffer(), '', 1) // { sheets: ["Sheet1"], sheet: "Sheet1", headers: ["Name", "Phone"] }
 */
export async function xlsxHeader(data: ArrayBuffer, sheet: string, headerRow: number): Promise<XlsxHeader> {
  const zip = entriesOf(new Uint8Array(data));
  const workbook = await text(zip, 'xl/workbook.xml');
  const rels = await text(zip, 'xl/_rels/workbook.xml.rels');
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = attr(m[1]!, 'Id');
    const target = attr(m[1]!, 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets: Array<{ name: string; part: string }> = [];
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const name = unescapeXml(attr(m[1]!, 'name') ?? '');
    const part = targets.get(attr(m[1]!, 'r:id') ?? attr(m[1]!, 'id') ?? '');
    if (part) sheets.push({ name, part });
  }
  const chosen = sheet ? sheets.find((s) => s.name === sheet) : sheets[0];
  if (!chosen) throw new Error(sheets.length === 0 ? 'unreadable_file' : 'unknown_sheet');
  const row = await rowOf(zip, chosen.part, headerRow);
  let headers: string[] | null = null;
  if (row) {
    const shared = row.some((c) => c.type === 's') ? await sharedStrings(zip) : [];
    headers = [];
    for (const c of row) headers[c.index] = (c.type === 's' ? (shared[Number(c.value)] ?? '') : c.value).trim();
    headers = Array.from(headers, (h) => h ?? '');
    if (headers.every((h) => h === '')) headers = null;
  }
  return { sheets: sheets.map((s) => s.name), sheet: chosen.name, headers };
}

interface Entry {
  method: number;
  size: number;
  data: Uint8Array;
}

/** entriesOf lists a zip archive's members from its central directory. */
function entriesOf(b: Uint8Array): Map<string, Entry> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65_557); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('unreadable_file');
  const count = v.getUint16(end + 10, true);
  let p = v.getUint32(end + 16, true);
  const names = new TextDecoder();
  const out = new Map<string, Entry>();
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || v.getUint32(p, true) !== 0x02014b50) throw new Error('unreadable_file');
    const method = v.getUint16(p + 10, true);
    const compressed = v.getUint32(p + 20, true);
    const size = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    const local = v.getUint32(p + 42, true);
    const name = names.decode(b.subarray(p + 46, p + 46 + nameLen));
    if (local + 30 > b.length) throw new Error('unreadable_file');
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    out.set(name, { method, size, data: b.subarray(start, start + compressed) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** chunks yields a member's text as it inflates, so a large sheet is read only as far as needed. */
async function* chunks(zip: Map<string, Entry>, name: string): AsyncGenerator<string> {
  const e = zip.get(name);
  if (!e || (e.method !== 0 && e.method !== 8)) throw new Error('unreadable_file');
  if (e.method === 0) {
    yield new TextDecoder().decode(e.data);
    return;
  }
  const data = e.data as Uint8Array<ArrayBuffer>; // a view of the file's own ArrayBuffer
  const stream = new ReadableStream<BufferSource>({
    start(c) {
      c.enqueue(data);
      c.close();
    },
  }).pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_PART) throw new Error('unreadable_file');
      yield dec.decode(value, { stream: true });
    }
    yield dec.decode();
  } catch (err) {
    throw err instanceof Error && err.message === 'unreadable_file' ? err : new Error('unreadable_file');
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

async function text(zip: Map<string, Entry>, name: string): Promise<string> {
  let s = '';
  for await (const c of chunks(zip, name)) s += c;
  return s;
}

interface Cell {
  index: number;
  type: string;
  value: string;
}

const ROW = /<(?:\w+:)?row\b([^>]*?)(\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;

/** rowOf reads the cells of row n of a sheet, or null when the sheet has no such row. */
async function rowOf(zip: Map<string, Entry>, part: string, n: number): Promise<Cell[] | null> {
  let buf = '';
  let seen = 0;
  for await (const c of chunks(zip, part)) {
    buf += c;
    ROW.lastIndex = 0;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = ROW.exec(buf))) {
      consumed = ROW.lastIndex;
      seen++;
      const r = Number(attr(m[1]!, 'r') ?? seen);
      seen = r;
      if (r === n) return cellsOf(m[3] ?? '');
      if (r > n) return null;
    }
    buf = buf.slice(consumed);
  }
  return null;
}

function cellsOf(row: string): Cell[] {
  const out: Cell[] = [];
  let next = 0;
  for (const m of row.matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
    const ref = attr(m[1]!, 'r');
    const index = ref ? columnIndex(ref) : next;
    next = index + 1;
    const type = attr(m[1]!, 't') ?? 'n';
    const inner = m[2] ?? '';
    const value =
      type === 'inlineStr'
        ? [...inner.matchAll(/<(?:\w+:)?t\b[^>]*>([\s\S]*?)<\/(?:\w+:)?t>/g)].map((t) => t[1]).join('')
        : (/<(?:\w+:)?v\b[^>]*>([\s\S]*?)<\/(?:\w+:)?v>/.exec(inner)?.[1] ?? '');
    out.push({ index, type, value: unescapeXml(value) });
  }
  return out;
}

async function sharedStrings(zip: Map<string, Entry>): Promise<string[]> {
  if (!zip.has('xl/sharedStrings.xml')) return [];
  const xml = await text(zip, 'xl/sharedStrings.xml');
  const out: string[] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?si\b[^>]*>([\s\S]*?)<\/(?:\w+:)?si>/g)) {
    // Phonetic runs (rPh) are reading aids, not part of the text.
    const body = m[1]!.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '');
    out.push(unescapeXml([...body.matchAll(/<(?:\w+:)?t\b[^>]*>([\s\S]*?)<\/(?:\w+:)?t>/g)].map((t) => t[1]).join('')));
  }
  return out;
}

/** columnIndex turns a cell reference ("C7") into its column from 0. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref.toUpperCase()) {
    if (ch < 'A' || ch > 'Z') break;
    n = n * 26 + (ch.charCodeAt(0) - 64);
  }
  return n - 1;
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? (m[2] ?? m[3]) : undefined;
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}
