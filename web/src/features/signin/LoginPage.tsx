/**
 * Sign-in: username and password, then the second factor — a code from the
 * enrolled authenticator, or on first sign-in the enrolment of one.
 * In sandbox mode the page also lists the demo logins with their current codes.
 * Too many failed attempts are answered `rate_limited` with the seconds to wait:
 * the page counts them down, and the buttons wait with it.
 */
import { type FormEvent, type Ref, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, run, setCsrfToken } from "../../api.ts";
import { ProblemAlert, TextField } from "../../components/form/index.ts";
import { LanguageSelect } from "../../components/LanguageSelect.tsx";
import { CopyButton } from "../../components/Secret.tsx";
import { useSession } from "../../session.tsx";
import { SandboxLogins, useSandboxLogins } from "./SandboxLogins.tsx";

type Step = "credentials" | "mfa" | "enrol";

/** The seconds left of a throttling answer, counted down; null when the problem is not one. */
function useWait(problem: ApiProblem | null): number | null {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const seconds = problem?.code === "rate_limited" ? problem.retryAfterSeconds : undefined;
    if (seconds === undefined) {
      setLeft(null);
      return;
    }
    const until = Date.now() + seconds * 1000;
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [problem]);
  return left;
}

/**
 * The throttling answer in the user's language: the countdown is shown, and
 * announced to screen readers once at the start and once when it is over.
 */
function WaitAlert({ left, initial }: { left: number; initial: number }) {
  const { t } = useTranslation();
  return (
    <>
      <div aria-live="assertive" aria-atomic="true" className="visually-hidden">
        {left > 0 ? t("login.throttled", { seconds: initial }) : t("login.throttleOver")}
      </div>
      <div
        className={left > 0 ? "alert alert-error" : "alert alert-info"}
        data-testid="login-wait"
        aria-hidden="true"
      >
        <p>{left > 0 ? t("login.throttled", { seconds: left }) : t("login.throttleOver")}</p>
      </div>
    </>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const { state, refresh } = useSession();
  const sandbox = useSandboxLogins();
  const [step, setStep] = useState<Step>("credentials");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [signedInAs, setSignedInAs] = useState("");
  const usernameRef = useRef<HTMLInputElement>(null);
  const ended = state.status === "anonymous" && state.ended === true;
  const left = useWait(problem);
  const waiting = left !== null && left > 0;

  useEffect(() => {
    document.title = `${t("login.title")} — ${t("app.name")}`;
  }, [t]);

  const submitCredentials = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const r = await run(api.POST("/api/auth/login", { body: { username, password } }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["username", "password"]));
      return;
    }
    setCsrfToken(r.data.csrfToken);
    setSignedInAs(username);
    setPassword("");
    setStep(r.data.stage);
  };

  const startOver = async () => {
    await run(api.POST("/api/auth/logout"));
    setCsrfToken(undefined);
    setProblem(null);
    setStep("credentials");
    window.setTimeout(() => usernameRef.current?.focus(), 0);
  };

  const fill = (login: { username: string; password: string }) => {
    setUsername(login.username);
    setPassword(login.password);
    setProblem(null);
  };

  return (
    <div className="login-layout">
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="app-header">
        {sandbox.logins && (
          <div className="sandbox-banner" data-testid="sandbox-banner">
            <strong>{t("sandbox.banner")}</strong>
            <span>{t("sandbox.bannerDetail")}</span>
          </div>
        )}
        <div className="app-header-inner">
          <div className="brand">
            <span className="brand-name">{t("app.name")}</span>
            <span className="brand-tagline">{t("app.tagline")}</span>
          </div>
          <div className="header-tools">
            <LanguageSelect testId="language-select" className="on-dark" />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="login-main">
        <div className={`login-card${step === "enrol" ? " login-card-wide" : ""}`}>
          <h1>{t("login.title")}</h1>
          {ended && step === "credentials" && <p className="alert alert-info">{t("login.sessionEnded")}</p>}
          {left !== null && problem?.retryAfterSeconds !== undefined ? (
            <WaitAlert left={left} initial={problem.retryAfterSeconds} />
          ) : (
            <ProblemAlert problem={problem} />
          )}
          {step === "credentials" && (
            <form onSubmit={(e) => void submitCredentials(e)} noValidate className="stack">
              <TextField
                label={t("login.username")}
                value={username}
                onChange={setUsername}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                dir="ltr"
                required
                inputRef={usernameRef}
                error={problem?.fields.username}
                testId="login-username"
              />
              <TextField
                type="password"
                label={t("login.password")}
                value={password}
                onChange={setPassword}
                autoComplete="current-password"
                dir="ltr"
                required
                error={problem?.fields.password}
                testId="login-password"
              />
              <button
                type="submit"
                className="button button-primary button-block"
                disabled={busy || waiting}
                data-testid="login-submit"
              >
                {busy ? t("login.signingIn") : t("login.submit")}
              </button>
            </form>
          )}
          {step === "mfa" && (
            <CodeStep
              username={signedInAs}
              waiting={waiting}
              onProblem={setProblem}
              problem={problem}
              onDone={refresh}
              onStartOver={startOver}
            />
          )}
          {step === "enrol" && (
            <EnrolStep
              username={signedInAs}
              waiting={waiting}
              onProblem={setProblem}
              problem={problem}
              onDone={refresh}
              onStartOver={startOver}
            />
          )}
        </div>
        {sandbox.logins && (
          <SandboxLogins
            logins={sandbox.logins}
            updatedAt={sandbox.updatedAt}
            onUse={fill}
            disabled={step !== "credentials"}
          />
        )}
      </main>
    </div>
  );
}

interface StepProps {
  username: string;
  /** A throttling answer is being waited out. */
  waiting: boolean;
  problem: ApiProblem | null;
  onProblem: (p: ApiProblem | null) => void;
  onDone: () => Promise<void>;
  onStartOver: () => Promise<void>;
}

function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

/** A six-digit code field as the authenticator apps show it. */
function CodeField(props: {
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  testId: string;
  inputRef?: Ref<HTMLInputElement>;
  hint: string;
}) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t("login.code")}
      hint={props.hint}
      value={props.value}
      onChange={(v) => props.onChange(v.replace(/\s+/g, ""))}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      dir="ltr"
      required
      className="code-input"
      inputRef={props.inputRef}
      error={props.error}
      testId={props.testId}
    />
  );
}

function CodeStep({ username, waiting, problem, onProblem, onDone, onStartOver }: StepProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const codeRef = useFocusOnMount<HTMLInputElement>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    onProblem(null);
    const r = await run(api.POST("/api/auth/totp", { body: { code } }));
    if (!r.ok) {
      setBusy(false);
      setCode("");
      onProblem(forFields(r.problem, ["code"]));
      codeRef.current?.focus();
      return;
    }
    setCsrfToken(r.data.csrfToken);
    await onDone();
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack">
      <p>{t("login.mfaIntro", { username })}</p>
      <CodeField
        value={code}
        onChange={setCode}
        error={problem?.fields.code}
        testId="totp-code"
        inputRef={codeRef}
        hint={t("login.codeHint")}
      />
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={busy || waiting}
        data-testid="totp-submit"
      >
        {busy ? t("login.verifying") : t("login.verify")}
      </button>
      <button type="button" className="button button-link" onClick={() => void onStartOver()}>
        {t("login.startOver")}
      </button>
    </form>
  );
}

interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

function EnrolStep({ username, waiting, problem, onProblem, onDone, onStartOver }: StepProps) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const r = await run(api.POST("/api/auth/enrol/start"));
      if (cancelled) return;
      if (r.ok) setEnrolment(r.data);
      else onProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [onProblem]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    onProblem(null);
    const r = await run(api.POST("/api/auth/enrol/confirm", { body: { code } }));
    if (!r.ok) {
      setBusy(false);
      setCode("");
      onProblem(forFields(r.problem, ["code"]));
      codeRef.current?.focus();
      return;
    }
    setCsrfToken(r.data.csrfToken);
    await onDone();
  };

  return (
    <div className="stack">
      <h2 ref={headingRef} tabIndex={-1}>
        {t("enrol.title")}
      </h2>
      <p>{t("enrol.intro", { username })}</p>
      {enrolment ? (
        <ol className="enrol-steps">
          <li>
            <p>{t("enrol.step1")}</p>
            <img
              className="enrol-qr"
              src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`}
              alt={t("enrol.qrAlt")}
              width={200}
              height={200}
            />
          </li>
          <li>
            <p id="enrol-secret-label">{t("enrol.step2")}</p>
            <div className="secret-row">
              <code className="secret-value" data-testid="enrol-secret" dir="ltr">
                {enrolment.secret}
              </code>
              <CopyButton value={enrolment.secret} />
            </div>
          </li>
          <li>
            <form onSubmit={(e) => void submit(e)} noValidate className="stack">
              <p>{t("enrol.step3")}</p>
              <CodeField
                value={code}
                onChange={setCode}
                error={problem?.fields.code}
                testId="enrol-code"
                inputRef={codeRef}
                hint={t("login.codeHint")}
              />
              <button
                type="submit"
                className="button button-primary button-block"
                disabled={busy || waiting}
                data-testid="enrol-submit"
              >
                {busy ? t("login.verifying") : t("enrol.submit")}
              </button>
            </form>
          </li>
        </ol>
      ) : (
        !problem && <p className="muted">{t("common.loading")}</p>
      )}
      <button type="button" className="button button-link" onClick={() => void onStartOver()}>
        {t("login.startOver")}
      </button>
    </div>
  );
}
