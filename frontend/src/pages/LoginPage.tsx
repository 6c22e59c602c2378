import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ErrorNotice } from '../components/ErrorNotice';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { TextField } from '../components/TextField';
import { useSession } from '../session/SessionContext';

/**
 * LoginPage signs a person in: a tenant's user with the tenant's slug, the platform
 * administrator with the tenant left empty. Server refusals are shown in words.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const { status, ended, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [tenant, setTenant] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  if (status === 'signed-in' && !busy) return <Navigate to={from} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(tenant.trim(), email.trim(), password);
      navigate(from, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <form className="card login-card" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h1>{t('login.title')}</h1>
        {ended && !error ? (
          <p role="status" className="notice">
            {t('session.ended')}
          </p>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
        <TextField id="tenant" label={t('login.tenant')} value={tenant} onChange={setTenant}
          autoComplete="organization" hint={t('login.tenantHint')} />
        <TextField id="email" type="email" label={t('login.email')} value={email} onChange={setEmail} autoComplete="username" />
        <TextField id="password" type="password" label={t('login.password')} value={password} onChange={setPassword}
          autoComplete="current-password" />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
