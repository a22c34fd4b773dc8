/**
 * The body of a ransom watch: a summary, and what partners should watch for —
 * banknote serial ranges, bank accounts, crypto wallets and phones (the node
 * checks each account, wallet and phone and says which row it refused).
 */
import { useTranslation } from "react-i18next";
import { FieldError, FieldGroup, TextAreaField, TextField } from "../../../components/form/index.ts";
import { type BodyFormProps, ContentPanel, SummaryField } from "./BodyFields.tsx";
import type { Banknotes, Draft, DraftErrors, Wallet } from "./draft.ts";

interface RansomWatchFieldsProps extends BodyFormProps {
  /** Changes the draft's rows (banknote ranges and wallets are added, edited and removed in place). */
  update: (change: (prev: Draft) => Draft) => void;
}

export function RansomWatchFields({ update, ...props }: RansomWatchFieldsProps) {
  return (
    <>
      <ContentPanel>
        <SummaryField {...props} />
      </ContentPanel>
      <WatchFields d={props.d} setD={update} err={props.err} />
    </>
  );
}

function WatchFields({
  d,
  setD,
  err,
}: {
  d: Draft;
  setD: (update: (prev: Draft) => Draft) => void;
  err: DraftErrors;
}) {
  const { t } = useTranslation();
  const setBanknote = (i: number, key: keyof Banknotes) => (value: string) =>
    setD((prev) => ({
      ...prev,
      banknotes: prev.banknotes.map((b, j) =>
        j === i ? { ...b, [key]: key === "currency" ? value.toUpperCase() : value } : b,
      ),
    }));
  const setWallet = (i: number, key: keyof Wallet) => (value: string) =>
    setD((prev) => ({
      ...prev,
      wallets: prev.wallets.map((w, j) => (j === i ? { ...w, [key]: value } : w)),
    }));
  return (
    <FieldGroup
      variant="panel"
      legend={t("exchange.compose.watchSection")}
      hint={t("exchange.compose.watchHint")}
      testId="compose-ransom"
    >
      <FieldGroup variant="sub" className="watch-fieldset" legend={t("exchange.body.banknotes")}>
        {err("body.banknotes") &&
          !d.banknotes.some((_, i) =>
            err(
              `body.banknotes.${i}.currency`,
              `body.banknotes.${i}.serialFrom`,
              `body.banknotes.${i}.serialTo`,
            ),
          ) && <FieldError message={err("body.banknotes") ?? ""} />}
        {d.banknotes.map((b, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and removed by position
          <div className="row-editor" key={i} data-testid="compose-banknote-row">
            <TextField
              label={t("exchange.body.currency")}
              value={b.currency}
              onChange={setBanknote(i, "currency")}
              maxLength={3}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              fieldClassName="field-narrow"
              error={err(`body.banknotes.${i}.currency`)}
              testId={`compose-banknote-currency-${i}`}
            />
            <TextField
              label={t("exchange.body.serialFrom")}
              value={b.serialFrom}
              onChange={setBanknote(i, "serialFrom")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err(`body.banknotes.${i}.serialFrom`)}
              testId={`compose-banknote-from-${i}`}
            />
            <TextField
              label={t("exchange.body.serialTo")}
              value={b.serialTo}
              onChange={setBanknote(i, "serialTo")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err(`body.banknotes.${i}.serialTo`)}
              testId={`compose-banknote-to-${i}`}
            />
            {d.banknotes.length > 1 && (
              <button
                type="button"
                className="button button-secondary button-small row-remove"
                onClick={() =>
                  setD((prev) => ({ ...prev, banknotes: prev.banknotes.filter((_, j) => j !== i) }))
                }
              >
                {t("exchange.compose.remove")}
                <span className="visually-hidden"> {t("exchange.compose.banknoteRow", { n: i + 1 })}</span>
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="compose-banknote-add"
          onClick={() =>
            setD((prev) => ({
              ...prev,
              banknotes: [...prev.banknotes, { currency: "", serialFrom: "", serialTo: "" }],
            }))
          }
        >
          {t("exchange.compose.addBanknotes")}
        </button>
      </FieldGroup>

      <div className="form-grid watch-lists">
        <TextAreaField
          label={t("exchange.body.accounts")}
          hint={t("exchange.compose.accountsHint")}
          value={d.accounts}
          onChange={(v) => setD((prev) => ({ ...prev, accounts: v }))}
          rows={4}
          dir="ltr"
          spellCheck={false}
          error={err("body.accounts")}
          testId="compose-accounts"
        />
        <TextAreaField
          label={t("exchange.body.phones")}
          hint={t("exchange.compose.phonesHint")}
          value={d.phones}
          onChange={(v) => setD((prev) => ({ ...prev, phones: v }))}
          rows={4}
          dir="ltr"
          spellCheck={false}
          error={err("body.phones")}
          testId="compose-phones"
        />
      </div>

      <FieldGroup variant="sub" className="watch-fieldset" legend={t("exchange.body.wallets")}>
        {d.wallets.map((w, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and removed by position
          <div className="row-editor row-editor-2" key={i} data-testid="compose-wallet-row">
            <TextField
              label={t("selectors.asset")}
              hint={i === 0 ? t("exchange.compose.assetHint") : undefined}
              value={w.asset}
              onChange={setWallet(i, "asset")}
              maxLength={20}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              fieldClassName="field-narrow"
              error={err(`body.wallets.${i}.asset`)}
              testId={`compose-wallet-asset-${i}`}
            />
            <TextField
              label={t("selectors.value.crypto_wallet")}
              value={w.address}
              onChange={setWallet(i, "address")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err(`body.wallets.${i}.address`)}
              testId={`compose-wallet-address-${i}`}
            />
            {d.wallets.length > 1 && (
              <button
                type="button"
                className="button button-secondary button-small row-remove"
                onClick={() => setD((prev) => ({ ...prev, wallets: prev.wallets.filter((_, j) => j !== i) }))}
              >
                {t("exchange.compose.remove")}
                <span className="visually-hidden"> {t("exchange.compose.walletRow", { n: i + 1 })}</span>
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="compose-wallet-add"
          onClick={() =>
            setD((prev) => ({ ...prev, wallets: [...prev.wallets, { asset: "", address: "" }] }))
          }
        >
          {t("exchange.compose.addWallet")}
        </button>
      </FieldGroup>
    </FieldGroup>
  );
}
