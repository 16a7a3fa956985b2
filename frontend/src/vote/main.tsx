import './vote.css';
import './i18n';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { VoteApp } from './VoteApp';

const root = document.getElementById('vote-root');
if (!root) throw new Error('vote.html has no #vote-root element');

createRoot(root).render(
  <StrictMode>
    <VoteApp pathname={window.location.pathname} />
  </StrictMode>,
);
