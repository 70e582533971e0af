import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { preloadRoute } from './features/shell/route-preload';
import './feature-styles';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain <div id="root">');

preloadRoute(window.location.pathname, window.location.search);

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
