import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';

// Lazily loaded pages (inbox, cockpit) are compiled on first import: on two shared cores
// that can take longer than Testing Library's default second.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
});
