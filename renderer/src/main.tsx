import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import './features/fees/fees.css';
import './features/bursary/bursary.css';
import './features/print/print.css';
import './features/reports/reports.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
