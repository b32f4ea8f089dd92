import type { Ref } from 'preact';

interface Props {
  busy: boolean;
  /** Why the last session ended, when it ended on its own. */
  ended: string | null;
  /** The view's heading, which takes the focus when a sign-out leads here. */
  headingRef: Ref<HTMLHeadingElement>;
  onSignIn: () => void;
}

/** Invites the user to sign in once with their Twilio login. */
export function SignedOut({ busy, ended, headingRef, onSignIn }: Props) {
  return (
    <section class="signed-out" aria-labelledby="signed-out-title">
      {ended && (
        <p class="ended" role="alert">
          {ended}
        </p>
      )}
      <h2 id="signed-out-title" tabIndex={-1} ref={headingRef}>
        One login for all your products
      </h2>
      <p class="lead">Use your Twilio login for Twilio Console, Segment and SendGrid, and switch between them.</p>
      {/* aria-disabled, not disabled: a disabled button loses the focus, and a cancelled sign-in would leave it on
          the page; a press while busy does nothing. */}
      <button
        type="button"
        class="primary"
        onClick={() => busy || onSignIn()}
        aria-disabled={busy}
        aria-describedby="sign-in-progress"
      >
        Sign in with Twilio
      </button>
      <p id="sign-in-progress" class="progress" role="status">
        {busy ? 'Finish signing in in the Twilio window…' : ''}
      </p>
    </section>
  );
}
