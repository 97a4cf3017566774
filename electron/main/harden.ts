// Applies the hardening of security-policy.ts to the running app: every webContents may not navigate, open
// windows, attach webviews or get any permission; every response gets the CSP header.
import { app, session, shell, type WebContents } from 'electron';
import { isAllowedNavigation, isSafeExternalUrl, withCspHeader } from './security-policy';

export function hardenApp(rendererUrl: () => string): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, rendererUrl())) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url, rendererUrl())) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // A link to the docs opens in the user's browser; nothing ever opens inside the app.
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function hardenSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
}
