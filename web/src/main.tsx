import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { I18nProvider, loadMessages, storedLang } from './i18n/i18n.tsx';
import { registerServiceWorker } from './features/survey/offline.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

// The first screen waits for its language's messages (one table, not both: i18n.tsx).
const render = () => createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
loadMessages(storedLang()).then(render, () => loadMessages('en').then(render));

registerServiceWorker();
