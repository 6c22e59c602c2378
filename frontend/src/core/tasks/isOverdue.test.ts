import { isOverdue } from './isOverdue';

const now = new Date('2026-11-23T12:00:00Z');

describe('isOverdue', () => {
  it.each<[string, { status: 'open' | 'completed' | 'cancelled'; due_at?: string }, boolean]>([
    ['open past its due time', { status: 'open', due_at: '2026-11-23T11:59:59Z' }, true],
    ['open before its due time', { status: 'open', due_at: '2026-11-23T12:00:01Z' }, false],
    ['open without a due time', { status: 'open' }, false],
    ['completed late', { status: 'completed', due_at: '2026-11-01T00:00:00Z' }, false],
    ['with a due time it cannot read', { status: 'open', due_at: 'soon' }, false],
  ])('%s', (_name, task, want) => {
    expect(isOverdue(task, now)).toBe(want);
  });
});
