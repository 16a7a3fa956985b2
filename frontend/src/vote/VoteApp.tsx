import { useCallback, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

import { tokenStore } from '../api/tokens';
import { BallotPage } from '../features/ballots/components/BallotPage';
import { MyBallotMeetings } from '../features/ballots/components/MyBallotMeetings';
import { SignIn } from '../features/ballots/components/SignIn';
import { rememberLanguage } from '../i18n/languages';
import { parseVoteRoute } from './route';

function LanguageLink() {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en-US' ? 'zh-CN' : 'en-US';
  return (
    <button
      type="button"
      className="v-lang"
      lang={next}
      onClick={() => {
        rememberLanguage(next);
        void i18n.changeLanguage(next);
      }}
    >
      {t('vote.language')}
    </button>
  );
}

/** The phone ballot app: no router, no admin code; the path says which ballot. */
export function VoteApp({ pathname }: { pathname: string }) {
  const { t } = useTranslation();
  const route = parseVoteRoute(pathname);
  const session = useSyncExternalStore(tokenStore.subscribe, tokenStore.get, tokenStore.get);
  const signOut = useCallback(() => tokenStore.clear(), []);
  const needsSession = route.page === 'mine' || (route.page === 'ballot' && route.auth.kind === 'named');

  let content;
  if (route.page === 'not-found') {
    content = (
      <p className="v-page v-notice v-notice-error" role="alert">
        {t('vote.notFound')}
      </p>
    );
  } else if (needsSession && session === null) {
    content = <SignIn onSignedIn={() => undefined} />;
  } else if (route.page === 'mine') {
    content = <MyBallotMeetings onUnauthorized={signOut} />;
  } else {
    content = <BallotPage auth={route.auth} onUnauthorized={route.auth.kind === 'named' ? signOut : undefined} />;
  }

  return (
    <main className="v-root">
      <div className="v-topbar">
        <span className="v-brand">{t('vote.title')}</span>
        <span className="v-topbar-actions">
          {needsSession && session !== null && (
            <button type="button" className="v-lang" onClick={signOut}>
              {t('vote.login.logout')}
            </button>
          )}
          <LanguageLink />
        </span>
      </div>
      {content}
    </main>
  );
}
