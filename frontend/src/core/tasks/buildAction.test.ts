import { buildAction, type ActionInputs } from './buildAction';

const inputs: ActionInputs = { comment: '  fine ', returnTo: ' intake ', user: ' u-9 ', fields: { approved_limit: 150000 }, version: 4 };

describe('buildAction', () => {
  it.each([
    ['claim', { kind: 'claim', version: 4 }],
    ['approve', { kind: 'approve', version: 4, comment: 'fine', fields: { approved_limit: 150000 } }],
    ['complete', { kind: 'complete', version: 4, comment: 'fine', fields: { approved_limit: 150000 } }],
    ['return', { kind: 'return', version: 4, to: 'intake', comment: 'fine' }],
    ['reassign', { kind: 'reassign', version: 4, to: 'u-9', comment: 'fine' }],
    ['delegate', { kind: 'delegate', version: 4, to: 'u-9', comment: 'fine' }],
    ['comment', { kind: 'comment', version: 4, comment: 'fine' }],
  ] as const)('%s takes only what it accepts', (kind, want) => {
    expect(buildAction(kind, inputs)).toEqual(want);
  });

  it('sends no fields with a decision that changed none, and an empty comment for the server to refuse', () => {
    const none = { ...inputs, comment: ' ', fields: {} };
    expect(buildAction('reject', none)).toEqual({ kind: 'reject', version: 4 });
    expect(buildAction('comment', none)).toEqual({ kind: 'comment', version: 4, comment: '' });
  });
});
