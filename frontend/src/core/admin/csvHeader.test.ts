import { csvHeader } from './csvHeader';

describe('csvHeader', () => {
  it('reads comma-separated headers, trimmed, without the byte order mark', () => {
    expect(csvHeader('\uFEFFCustomer name , Mobile phone\r\n张三,13800138000\r\n')).toEqual(['Customer name', 'Mobile phone']);
  });

  it('picks the separator the first line uses most, outside quotes', () => {
    expect(csvHeader('"Name, full";Phone;Note\na;b;c')).toEqual(['Name, full', 'Phone', 'Note']);
    expect(csvHeader('a\tb,c\tc\n')).toEqual(['a', 'b,c', 'c']);
  });

  it('finds the header on the given line, counting blank lines and quoted line breaks', () => {
    const text = 'Export of 2026-11-23\n\n"Multi\nline",x\nName,Phone\n';
    expect(csvHeader(text, 5)).toEqual(['Name', 'Phone']);
    expect(csvHeader(text, 3)).toEqual(['Multi\nline', 'x']);
    expect(csvHeader(text, 2)).toBeNull();
    expect(csvHeader(text, 9)).toBeNull();
  });

  it('says there is no header when the row is empty', () => {
    expect(csvHeader(',,\n1,2,3')).toBeNull();
    expect(csvHeader('')).toBeNull();
  });
});
