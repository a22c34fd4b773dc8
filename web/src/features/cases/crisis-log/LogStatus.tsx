/**
 * The state of a crisis log: whether new entries arrive live (with a way to
 * reconnect), and whether its hash chain was found intact on the last read.
 */
import { useTranslation } from "react-i18next";
import type { LiveState } from "../../../live.ts";

export function LiveIndicator({ state, onReconnect }: { state: LiveState; onReconnect: () => void }) {
  const { t } = useTranslation();
  return (
    <span className="live-wrap">
      <span className={`live live-${state}`} data-testid="crisis-live" data-state={state} role="status">
        <span className="live-dot" aria-hidden="true" />
        {t(`crisis.live.${state}`)}
      </span>
      {state === "offline" && (
        <button type="button" className="button button-secondary button-small" onClick={onReconnect}>
          {t("crisis.live.reconnect")}
        </button>
      )}
    </span>
  );
}

export function Integrity({ verified, onCheck }: { verified: boolean | null; onCheck: () => void }) {
  const { t } = useTranslation();
  if (verified === null) return null;
  return (
    <span className="live-wrap">
      <span
        className={`integrity ${verified ? "integrity-ok" : "integrity-broken"}`}
        data-testid="crisis-integrity"
        data-verified={String(verified)}
        role={verified ? undefined : "alert"}
      >
        {verified ? t("crisis.integrityOk") : t("crisis.integrityBroken")}
      </span>
      <button type="button" className="button button-secondary button-small" onClick={onCheck}>
        {t("crisis.checkAgain")}
      </button>
    </span>
  );
}
