import { ApiClient, type ApiProblem } from './api-client.js';
import { messageOf } from './elements.js';
import { session } from './session.js';
import { Shell } from './shell.js';
import { signIn, whoIs } from './sign-in.js';

/**
 * The dashboard: sign in with a key (kept for the tab's life in sessionStorage), then the shell.
 * A 401 from any call (the key was revoked or expired) ends the session with the API's reason.
 */
async function run(root: HTMLElement, message?: string): Promise<void> {
  let key = session.key();
  let refused = message;
  // A key kept from before a reload may have been revoked or expired since: say so at sign-in.
  let me =
    key === null
      ? undefined
      : await whoIs(key).catch((error: unknown) => {
          refused = messageOf(error);
          return undefined;
        });
  if (key === null || me === undefined) {
    session.forget();
    ({ key, me } = await signIn(root, refused));
    session.remember(key);
  }
  let shell: Shell | undefined;
  const signOut = (problem?: ApiProblem) => {
    shell?.stop();
    shell = undefined;
    session.forget();
    void run(root, problem?.message);
  };
  let ended = false;
  const api = new ApiClient(key, (problem) => {
    if (ended) return;
    ended = true;
    signOut(problem);
  });
  shell = new Shell(root, api, me, () => {
    ended = true;
    signOut();
  });
  shell.start();
}

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');
void run(root);
