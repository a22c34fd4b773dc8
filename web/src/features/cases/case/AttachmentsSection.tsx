/**
 * Files attached to a case. The node computes each file's SHA-256 on arrival,
 * keeps the content in its own database and checks it again before every
 * download (which is audited); the hash shown here lets anyone verify a copy.
 */
import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, type AttachmentView, formatBytes, uploadFile } from "../../../api.ts";
import {
  Field,
  localProblem,
  opt,
  ProblemAlert,
  StatusMessage,
  TextField,
} from "../../../components/form/index.ts";
import { CopyButton } from "../../../components/Secret.tsx";
import { useFormat } from "../../../format.ts";
import { AddForm, type RecordsUpdate } from "./common.tsx";

export function AttachmentsSection({
  caseId,
  attachments,
  onRecords,
}: {
  caseId: string;
  attachments: AttachmentView[] | null;
  onRecords: RecordsUpdate;
}) {
  const { t } = useTranslation();
  return (
    <section className="section panel" id="case-attachments" aria-labelledby="case-attachments-title">
      <h2 id="case-attachments-title">{t("attachments.title")}</h2>
      <p className="muted">{t("attachments.intro")}</p>
      {attachments === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : attachments.length === 0 ? (
        <p className="empty-note">{t("attachments.none")}</p>
      ) : (
        <AttachmentsTable caseId={caseId} attachments={attachments} />
      )}
      <AddForm summary={t("attachments.addTitle")} testId="attachment-add">
        <Upload
          caseId={caseId}
          onUploaded={(a) => onRecords((prev) => ({ ...prev, attachments: [...prev.attachments, a] }))}
        />
      </AddForm>
    </section>
  );
}

function AttachmentsTable({ caseId, attachments }: { caseId: string; attachments: AttachmentView[] }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="attachments-table">
        <caption className="visually-hidden">{t("attachments.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("attachments.filename")}</th>
            <th scope="col">{t("attachments.size")}</th>
            <th scope="col">{t("attachments.sha256")}</th>
            <th scope="col">{t("attachments.addedAt")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {attachments.map((a) => (
            <tr key={a.id} data-testid="attachment-row" data-sha256={a.sha256}>
              <td>
                <bdi className="strong wrap">{a.filename}</bdi>
                <span className="block muted small" dir="ltr">
                  {a.mediaType}
                </span>
                {a.description && (
                  <span className="block small" dir="auto">
                    {a.description}
                  </span>
                )}
              </td>
              <td className="numeric nowrap">
                <span dir="ltr">{formatBytes(a.size, i18n.language)}</span>
              </td>
              <td>
                <span className="hash-cell">
                  <code dir="ltr" title={a.sha256} data-testid="attachment-sha256">
                    {a.sha256.slice(0, 16)}…
                  </code>
                  <span className="visually-hidden">{a.sha256}</span>
                  <CopyButton value={a.sha256} />
                </span>
              </td>
              <td className="small">{format.dateTime(a.createdAt)}</td>
              <td>
                <a
                  className="button button-secondary button-small"
                  href={`/api/cases/${encodeURIComponent(caseId)}/attachments/${encodeURIComponent(a.id)}`}
                  download={a.filename}
                  data-testid="attachment-download"
                >
                  {t("attachments.download")}
                  <span className="visually-hidden"> {a.filename}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Upload({ caseId, onUploaded }: { caseId: string; onUploaded: (a: AttachmentView) => void }) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setFileError(undefined);
    setDone(null);
    if (!file) {
      setProblem(localProblem({ file: "must not be empty" }));
      setFileError(t("attachments.chooseFile"));
      return;
    }
    const query = new URLSearchParams({ filename: file.name });
    const note = opt(description);
    if (note) query.set("description", note);
    setBusy(true);
    const r = await uploadFile<AttachmentView>(
      `/api/cases/${encodeURIComponent(caseId)}/attachments?${query.toString()}`,
      file,
    );
    setBusy(false);
    if (!r.ok) {
      // The file travels as the body, its name and description in the query: said at their inputs.
      const p = r.problem;
      const pick = (path: string) => p.otherFields.find((f) => f.path === path);
      const atFile = pick("body") ?? pick("query.filename");
      const atDescription = pick("query.description");
      const fileMessage =
        p.code === "payload_too_large"
          ? t("attachments.tooLarge", { size: formatBytes(file.size, i18n.language) })
          : atFile?.message;
      const fields = { ...p.fields };
      if (fileMessage) fields.file = fileMessage;
      if (atDescription) fields.description = atDescription.message;
      setFileError(fileMessage);
      setProblem({
        ...p,
        fields,
        otherFields: p.otherFields.filter((f) => f !== atFile && f !== atDescription),
      });
      return;
    }
    onUploaded(r.data);
    setFile(null);
    setDescription("");
    if (inputRef.current) inputRef.current.value = "";
    setDone(t("attachments.uploaded", { name: r.data.filename, sha: r.data.sha256.slice(0, 16) }));
  };

  return (
    <>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="stack compact-form">
        <Field
          id="attachment-file"
          label={t("attachments.file")}
          hint={
            file
              ? t("attachments.chosen", { name: file.name, size: formatBytes(file.size, i18n.language) })
              : t("attachments.fileHint")
          }
          error={fileError}
          errorTestId="attachment-file-error"
        >
          {(aria) => (
            <input
              {...aria}
              ref={inputRef}
              id="attachment-file"
              type="file"
              data-testid="attachment-file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setFileError(undefined);
                setProblem(null);
              }}
            />
          )}
        </Field>
        <TextField
          label={t("attachments.descriptionOptional")}
          value={description}
          onChange={setDescription}
          dir="auto"
          error={problem?.fields.description}
          testId="attachment-description"
        />
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="attachment-submit"
          >
            {busy ? t("attachments.uploading") : t("attachments.submit")}
          </button>
        </div>
      </form>
    </>
  );
}
