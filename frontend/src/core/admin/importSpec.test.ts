import { importSpec } from './importSpec';

describe('importSpec', () => {
  it('sends the mapped columns only, and nothing the server defaults', () => {
    expect(importSpec({ mapping: { Phone: 'mobile_phone', Note: '' }, sheet: '', headerRow: 1, key: '', decide: false })).toEqual({
      columns: { Phone: 'mobile_phone' },
    });
  });

  it('sends the sheet, header row, key and decisions when chosen; no mapping lets the server match', () => {
    expect(importSpec({ mapping: null, sheet: '2026', headerRow: 3, key: 'contract_no', decide: true })).toEqual({
      sheet: '2026', header_row: 3, key: 'contract_no', decide: true,
    });
  });
});
