import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../../api/problem';
import { signIn } from '../api';

/** A small sign-in for named evaluators who open their ballot link on a phone. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) return;
    setBusy(true);
    setFailure(null);
    try {
      await signIn(username.trim(), password);
      onSignedIn();
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'network') setFailure(t('vote.errors.network'));
      else if (error instanceof ApiError && error.status === 429) setFailure(t('vote.errors.tooMany'));
      else setFailure(t('vote.login.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="v-page v-sheet" onSubmit={(event) => void submit(event)} data-testid="vote-sign-in">
      <h1 className="v-title">{t('vote.login.title')}</h1>
      <p className="v-hint">{t('vote.login.hint')}</p>
      <label className="v-label" htmlFor="vote-username">
        {t('vote.login.username')}
      </label>
      <input
        id="vote-username"
        className="v-input"
        autoComplete="username"
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <label className="v-label" htmlFor="vote-password">
        {t('vote.login.password')}
      </label>
      <input
        id="vote-password"
        className="v-input"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {failure && (
        <p className="v-notice v-notice-error" role="alert">
          {failure}
        </p>
      )}
      <button type="submit" className="v-button v-button-primary" disabled={busy}>
        {t('vote.login.submit')}
      </button>
    </form>
  );
}
