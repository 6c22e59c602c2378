import { xlsxHeader } from './xlsxHeader';

// zipOf builds a zip archive the way spreadsheet programs write workbooks: each member
// deflated (or stored), listed in a central directory. CRCs are not checked on reading.
async function zipOf(files: Record<string, string>, deflate = true): Promise<ArrayBuffer> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const raw = enc.encode(content);
    const data = deflate
      ? await collect(
          new ReadableStream<BufferSource>({
            start(c) {
              c.enqueue(raw);
              c.close();
            },
          }).pipeThrough(new CompressionStream('deflate-raw')),
        )
      : raw;
    const n = enc.encode(name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(8, deflate ? 8 : 0, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, raw.length, true);
    local.setUint16(26, n.length, true);
    const dir = new DataView(new ArrayBuffer(46));
    dir.setUint32(0, 0x02014b50, true);
    dir.setUint16(10, deflate ? 8 : 0, true);
    dir.setUint32(20, data.length, true);
    dir.setUint32(24, raw.length, true);
    dir.setUint16(28, n.length, true);
    dir.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), n, data);
    central.push(new Uint8Array(dir.buffer), n);
    offset += 30 + n.length + data.length;
  }
  const size = central.reduce((s, c) => s + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, Object.keys(files).length, true);
  end.setUint16(10, Object.keys(files).length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  return concat([...parts, ...central, new Uint8Array(end.buffer)]).buffer as ArrayBuffer;
}

async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  const reader = s.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
  return concat(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const workbook = {
  'xl/workbook.xml':
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<sheets><sheet name="说明" sheetId="1" r:id="rId1"/><sheet name="Customers &amp; loans" sheetId="2" r:id="rId2"/></sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>' +
    '<Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
  'xl/sharedStrings.xml':
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3">' +
    '<si><t>客户姓名</t></si><si><r><t>Mobile </t></r><r><rPr><b/></rPr><t>phone</t></r><rPh><t>x</t></rPh></si><si><t xml:space="preserve"> Notes </t></si></sst>',
  'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Read me</t></is></c></row></sheetData></worksheet>',
  'xl/worksheets/sheet2.xml':
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    '<row r="1" spans="1:1"><c r="A1" t="inlineStr"><is><t>Exported 2026-11-23</t></is></c></row>' +
    '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c><c r="D3" t="s"><v>2</v></c><c r="E3"><v>2026</v></c></row>' +
    '<row r="4"><c r="A4" t="s"><v>0</v></c></row></sheetData></worksheet>',
};

describe('xlsxHeader', () => {
  it('lists the sheets and reads the first one’s header row', async () => {
    expect(await xlsxHeader(await zipOf(workbook), '', 1)).toEqual({ sheets: ['说明', 'Customers & loans'], sheet: '说明', headers: ['Read me'] });
  });

  it('reads a named sheet’s header row: shared, rich and inline strings, numbers, gaps kept in place', async () => {
    const got = await xlsxHeader(await zipOf(workbook), 'Customers & loans', 3);
    expect(got.headers).toEqual(['客户姓名', 'Mobile phone', '', 'Notes', '2026']);
  });

  it('reads stored members too, and says when the row is missing', async () => {
    expect((await xlsxHeader(await zipOf(workbook, false), 'Customers & loans', 2)).headers).toBeNull();
    expect((await xlsxHeader(await zipOf(workbook, false), 'Customers & loans', 9)).headers).toBeNull();
  });

  it('refuses what is not a workbook, and an unknown sheet', async () => {
    await expect(xlsxHeader(new TextEncoder().encode('a,b\n1,2').buffer as ArrayBuffer, '', 1)).rejects.toThrow('unreadable_file');
    await expect(xlsxHeader(await zipOf(workbook), 'Nope', 1)).rejects.toThrow('unknown_sheet');
  });
});
