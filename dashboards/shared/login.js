// Login form shared by both dashboards: <form data-testid="login-form"> with inputs name="username"/"password".
import { login, getAuth, logout } from './api.js';
import { t } from './i18n.js';

/**
 * Shows the login overlay until a valid session exists, then calls onSignedIn(auth).
 * accept(auth) may return an i18n key to refuse the account (e.g. a non-worker in the worker app).
 */
export function requireLogin(overlay, onSignedIn, accept = () => null, { demoLogin } = {}) {
  const form = overlay.querySelector('form');
  const message = overlay.querySelector('[data-role="login-error"]');
  const submit = form.querySelector('button[type="submit"]');
  const auth = getAuth();
  if (auth && auth.expiresAt > Date.now() && !accept(auth)) {
    overlay.hidden = true;
    onSignedIn(auth);
    return;
  }
  overlay.hidden = false;
  message.textContent = t(sessionStorage.getItem('smart.loginMessage') ?? '') ?? '';
  sessionStorage.removeItem('smart.loginMessage');
  form.username.focus();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      const signedIn = await login(form.username.value.trim(), form.password.value);
      const refusal = accept(signedIn);
      if (refusal) {
        logout();
        message.textContent = t(refusal);
        return;
      }
      overlay.hidden = true;
      onSignedIn(signedIn);
    } catch (err) {
      message.textContent = err.status === 0 ? t('error.network') : (err.detail || err.title || err.message);
    } finally {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });
  if (demoLogin) { // dev/demo only (?demo=1): sign in with the canned account so screenshots need no typing
    [form.username.value, form.password.value] = demoLogin;
    form.requestSubmit();
  }
}

/** After a 401 anywhere, go back to the login form (a reload is the simplest way to drop all live state). */
export function reloginOnUnauthorized() {
  window.addEventListener('smart:unauthorized', () => {
    sessionStorage.setItem('smart.loginMessage', 'error.session');
    location.reload();
  }, { once: true });
}
