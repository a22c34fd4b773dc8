/**
 * The signed-in session: loaded from the server on start, after a completed
 * sign-in, and dropped on sign-out or when the server says it has ended.
 * What the interface offers comes from `permissions`, never from roles.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import {
  type ApiProblem,
  api,
  onSessionLost,
  type Permission,
  run,
  type SessionView,
  setCsrfToken,
  type User,
} from "./api.ts";
import { isLanguage, setLanguage, takeSignedOutChoice } from "./i18n/index.ts";

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous"; ended?: boolean }
  | { status: "error"; problem: ApiProblem }
  | { status: "signed-in"; session: SessionView };

interface SessionContextValue {
  state: SessionState;
  /** Reload the session from the server (after sign-in, or to retry). */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
  /** Replace the user after a change of one's own account (preferences). */
  updateUser: (user: User) => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const refresh = useCallback(async () => {
    const r = await run(api.GET("/api/auth/session"));
    if (r.ok) {
      setCsrfToken(r.data.csrfToken);
      let session = r.data;
      // A language picked on the login page just before signing in wins, and becomes the
      // account's preference; otherwise the account's preference applies.
      const chosen = takeSignedOutChoice();
      if (chosen && chosen !== session.user.language) {
        const p = await run(api.PATCH("/api/me/preferences", { body: { language: chosen } }));
        if (p.ok) session = { ...session, user: p.data };
      }
      if (isLanguage(session.user.language)) await setLanguage(session.user.language);
      setState({ status: "signed-in", session });
    } else if (r.problem.status === 401) {
      setCsrfToken(undefined);
      setState({ status: "anonymous" });
    } else {
      setState({ status: "error", problem: r.problem });
    }
  }, []);

  const signOut = useCallback(async () => {
    await run(api.POST("/api/auth/logout"));
    setCsrfToken(undefined);
    setState({ status: "anonymous" });
  }, []);

  const updateUser = useCallback((user: User) => {
    setState((s) => (s.status === "signed-in" ? { ...s, session: { ...s.session, user } } : s));
  }, []);

  useEffect(() => {
    void refresh();
    return onSessionLost(() => {
      setCsrfToken(undefined);
      setState((s) => (s.status === "signed-in" ? { status: "anonymous", ended: true } : s));
    });
  }, [refresh]);

  const value = useMemo(
    () => ({ state, refresh, signOut, updateUser }),
    [state, refresh, signOut, updateUser],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error("useSession must be used inside <SessionProvider>");
  return ctx;
}

/** The signed-in session; only for components rendered inside the signed-in shell. */
export function useSignedIn(): SessionView & { can: (p: Permission) => boolean } {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useSignedIn outside a signed-in session");
  const { session } = state;
  return { ...session, can: (p: Permission) => session.permissions.includes(p) };
}
