import { dragId } from './dragId';

describe('dragId', () => {
  it('reads back every id it builds', () => {
    expect(dragId.parse(dragId.field('n1'))).toEqual({ type: 'field', id: 'n1' });
    expect(dragId.parse(dragId.column('n2'))).toEqual({ type: 'column', id: 'n2' });
    expect(dragId.parse(dragId.section('n3'))).toEqual({ type: 'section', id: 'n3' });
    expect(dragId.parse(dragId.table('n4'))).toEqual({ type: 'table', id: 'n4' });
    expect(dragId.parse(dragId.zone('n5'))).toEqual({ type: 'zone', section: 'n5' });
    expect(dragId.parse(dragId.palette('phone'))).toEqual({ type: 'palette', kind: 'phone' });
    expect(dragId.parse(dragId.loose)).toEqual({ type: 'loose' });
    expect(dragId.parse(dragId.end)).toEqual({ type: 'end' });
  });

  it('reads nothing from an unknown id', () => {
    expect(dragId.parse('what:ever')).toBeNull();
    expect(dragId.parse('field:')).toBeNull();
    expect(dragId.parse('plain')).toBeNull();
  });
});
