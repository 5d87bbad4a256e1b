import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { useStore } from './store/index.ts';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
// The setup comes from the URL before the first render.
useStore.getState().loadFromUrl(window.location.search);
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
