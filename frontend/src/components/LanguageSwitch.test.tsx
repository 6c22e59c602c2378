import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp, reviewer } from '../../test/renderApp';

describe('LanguageSwitch', () => {
  it('switches every text of the shell to Chinese and remembers the choice', async () => {
    renderApp({
      url: '/forms',
      user: reviewer,
      routes: { 'GET /api/v1/t/demo/forms': () => ({ body: { forms: [] } }) },
    });
    expect(await screen.findByRole('heading', { name: 'Forms' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Log out' })).toBeInTheDocument();

    await userEvent.setup().selectOptions(screen.getByLabelText('Language'), '中文');

    expect(screen.getByRole('heading', { name: '表单' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '表单' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '退出登录' })).toBeInTheDocument();
    expect(screen.getByText('还没有向您开放的表单。')).toBeInTheDocument();
    expect(screen.queryByText('Forms')).not.toBeInTheDocument();
    expect(localStorage.getItem('credo.lang')).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});
