import { fileHeader } from './fileHeader';

const opts = { sheet: '', headerRow: 1 };
const file = (parts: BlobPart[], name = 'x.csv') => new File(parts, name);

describe('fileHeader', () => {
  it('reads a UTF-8 CSV header', async () => {
    expect(await fileHeader(file(['客户姓名,Mobile phone\n张三,13800138000\n']), opts)).toEqual({
      format: 'csv', sheets: [], sheet: '', headers: ['客户姓名', 'Mobile phone'],
    });
  });

  it('reads UTF-16 text with its byte order mark', async () => {
    const text = 'Name\tPhone\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes[2 + i * 2] = text.charCodeAt(i);
    expect((await fileHeader(file([bytes]), opts)).headers).toEqual(['Name', 'Phone']);
  });

  it('refuses an empty file, an old .xls and binary content with the server’s codes', async () => {
    await expect(fileHeader(file([]), opts)).rejects.toThrow('empty_file');
    await expect(fileHeader(file([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])]), opts)).rejects.toThrow('legacy_workbook');
    await expect(fileHeader(file([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])]), opts)).rejects.toThrow('unsupported_file');
  });
});
