import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyTheme, followSystemTheme, readTheme } from './shell/theme.ts';
import { useStore } from './store/index.ts';
import './styles.css';
import './shell/shell.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
// The saved theme and the setup (from the URL) apply before the first render.
applyTheme(readTheme());
followSystemTheme();
useStore.getState().loadFromUrl(window.location.search);
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
