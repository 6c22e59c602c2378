import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Principal } from '../../core/api/types';
import { newDefinition } from '../../core/designer/newDefinition';
import type { JsonObject } from '../../core/designer/types';
import { renderApp } from '../../../test/renderApp';
import { designerServer } from './designerServer';

// Only the field cards in and near the view are sortable (useNearViewport); these run the
// designer under an IntersectionObserver the test drives, where nothing is near until
// report() says so.
class TestObserver {
  static all: TestObserver[] = [];
  readonly targets = new Set<Element>();
  constructor(readonly callback: IntersectionObserverCallback) {
    TestObserver.all.push(this);
  }
  observe(el: Element) {
    this.targets.add(el);
  }
  unobserve(el: Element) {
    this.targets.delete(el);
  }
  disconnect() {
    this.targets.clear();
  }
}

/** report tells every observer which of its cards are near: those whose field is named in near. */
function report(near: string[]) {
  act(() => {
    for (const o of TestObserver.all) {
      const entries = [...o.targets].map((target) => ({ target, isIntersecting: near.includes(target.getAttribute('data-field') ?? '') }));
      o.callback(entries as unknown as IntersectionObserverEntry[], o as unknown as IntersectionObserver);
    }
  });
}

beforeAll(() => {
  vi.stubGlobal('IntersectionObserver', TestObserver);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };

function threeFields(): JsonObject {
  const def = newDefinition('intake', { 'zh-CN': '进件', en: 'Intake' }, { 'zh-CN': '基本信息', en: 'Basic information' });
  const text = (en: string) => ({ label: { en }, widget: 'text' });
  def['schema'] = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } };
  def['fields'] = { a: text('Alpha'), b: text('Beta'), c: text('Gamma') };
  def['layout'] = { sections: [{ key: 'basics', title: { en: 'Basic information' }, columns: 1, fields: ['a', 'b', 'c'] }] };
  return def;
}

async function openDesigner() {
  const fake = designerServer('intake', { draft: threeFields() });
  renderApp({ url: '/designer/forms/intake', user: admin, routes: fake.routes, language: 'en' });
  await screen.findByRole('heading', { name: 'Design: Intake', level: 1 });
  return userEvent.setup();
}

function fieldOrder(): string[] {
  return Array.from(screen.getByRole('region', { name: 'Form layout' }).querySelectorAll('[data-field]')).map((el) => el.getAttribute('data-field') ?? '');
}

// jsdom lays nothing out: every element gets a box from its place in the document, so the
// keyboard's moves find their neighbours.
let restoreLayout: () => void;
beforeEach(() => {
  const original = Element.prototype.getBoundingClientRect;
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const all = Array.from(document.body.querySelectorAll('*'));
    const start = all.indexOf(this);
    const inside = this.querySelectorAll('*');
    const last = inside.length > 0 ? all.indexOf(inside[inside.length - 1]!) : start;
    const top = Math.max(0, start) * 40;
    const height = (last - start + 1) * 40;
    return { x: 0, y: top, top, left: 0, width: 600, height, right: 600, bottom: top + height, toJSON: () => ({}) } as DOMRect;
  };
  restoreLayout = () => {
    Element.prototype.getBoundingClientRect = original;
  };
});
afterEach(() => restoreLayout());

describe('field cards far from the view', () => {
  it('read as sortable, with the drag instructions, like the cards near it', async () => {
    await openDesigner();
    const handle = screen.getByRole('button', { name: 'Move Beta' });
    expect(handle).toHaveAttribute('aria-roledescription', 'sortable');
    const instructions = /^To pick up an item, press Space or Enter/;
    await waitFor(() => expect(handle).toHaveAccessibleDescription(instructions));
    report(['a', 'b', 'c']);
    expect(screen.getByRole('button', { name: 'Move Beta' })).not.toBe(handle);
    expect(screen.getByRole('button', { name: 'Move Beta' })).toHaveAccessibleDescription(instructions);
  });

  it('become sortable when they take the focus, which stays on them, and move with the keyboard', async () => {
    const user = await openDesigner();
    report(['a', 'c']);
    act(() => screen.getByRole('button', { name: 'Move Beta' }).focus());
    await waitFor(() => expect(document.activeElement).toHaveAccessibleName('Move Beta'));
    await user.keyboard('[Space]');
    await user.keyboard('[ArrowUp]');
    await user.keyboard('[Space]');
    await waitFor(() => expect(fieldOrder()).toEqual(['b', 'a', 'c']));
  });

  it('stay drop targets while a drag is on, though the page scrolls them away', async () => {
    const user = await openDesigner();
    report(['a', 'b', 'c']);
    act(() => screen.getByRole('button', { name: 'Move Beta' }).focus());
    await user.keyboard('[Space]');
    report(['b']);
    await user.keyboard('[ArrowUp]');
    await user.keyboard('[Space]');
    await waitFor(() => expect(fieldOrder()).toEqual(['b', 'a', 'c']));
  });
});
