/**
 * The vehicles of a case: plate and its country, make, model, colour and use, and the
 * compact form that adds one (the node keeps plates normalised).
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, run, type VehicleBody, type VehicleView } from "../../../api.ts";
import { opt, ProblemAlert, SelectField, StatusMessage, TextField } from "../../../components/form/index.ts";
import { VEHICLE_USES } from "../../../constants.ts";
import { AddForm, Missing, useSmallForm } from "./common.tsx";

type VehicleUse = NonNullable<VehicleBody["use"]>;

export function Vehicles({
  caseId,
  vehicles,
  onAdded,
}: {
  caseId: string;
  vehicles: VehicleView[];
  onAdded: (v: VehicleView) => void;
}) {
  const { t } = useTranslation();
  const empty = { plate: "", plateCountry: "", make: "", model: "", colour: "", description: "" };
  const [d, setD] = useState(empty);
  const [use, setUse] = useState<VehicleUse>("abduction");
  const form = useSmallForm(["plate", "plateCountry", "make", "model", "colour", "use", "description"]);
  const set = (key: keyof typeof empty) => (value: string) => setD((prev) => ({ ...prev, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: VehicleBody = {
      plate: opt(d.plate),
      plateCountry: opt(d.plateCountry)?.toUpperCase(),
      make: opt(d.make),
      model: opt(d.model),
      colour: opt(d.colour),
      use,
      description: opt(d.description),
    };
    const v = await form.send(() =>
      run(api.POST("/api/cases/{id}/vehicles", { params: { path: { id: caseId } }, body })),
    );
    if (!v) return;
    onAdded(v);
    setD(empty);
    form.setDone(t("vehicles.added", { vehicle: v.plate ?? v.make ?? "" }));
  };

  return (
    <section className="record-block" aria-labelledby="case-vehicles-title">
      <h3 id="case-vehicles-title">{t("vehicles.title")}</h3>
      {vehicles.length === 0 ? (
        <p className="empty-note">{t("vehicles.none")}</p>
      ) : (
        <ul className="record-list" data-testid="vehicles-list">
          {vehicles.map((v) => (
            <li key={v.id} data-testid="vehicle-item">
              {v.plate ? (
                <span className="plate" dir="ltr">
                  {v.plate}
                  {v.plateCountry && <span className="plate-country"> {v.plateCountry}</span>}
                </span>
              ) : (
                <Missing>{t("vehicles.noPlate")}</Missing>
              )}{" "}
              <span className="badge badge-off">{t(`vehicleUse.${v.use}`)}</span>
              {(v.make || v.model || v.colour) && (
                <span className="block small" dir="auto">
                  {[v.make, v.model, v.colour].filter(Boolean).join(" · ")}
                </span>
              )}
              {v.description && (
                <span className="block small pre-wrap" dir="auto">
                  {v.description}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <AddForm summary={t("vehicles.addTitle")} testId="vehicle-add">
        <ProblemAlert problem={form.problem} />
        <StatusMessage message={form.done} />
        <form onSubmit={(e) => void submit(e)} noValidate className="stack compact-form">
          <div className="field-pair">
            <TextField
              label={t("vehicles.plate")}
              value={d.plate}
              onChange={set("plate")}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              error={form.err("plate")}
              testId="vehicle-plate"
            />
            <TextField
              label={t("vehicles.plateCountry")}
              value={d.plateCountry}
              onChange={(v) => set("plateCountry")(v.toUpperCase())}
              maxLength={3}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              error={form.err("plateCountry")}
              testId="vehicle-plate-country"
              fieldClassName="field-narrow"
            />
          </div>
          <div className="field-pair field-pair-even">
            <TextField
              label={t("vehicles.make")}
              value={d.make}
              onChange={set("make")}
              dir="auto"
              error={form.err("make")}
              testId="vehicle-make"
            />
            <TextField
              label={t("vehicles.model")}
              value={d.model}
              onChange={set("model")}
              dir="auto"
              error={form.err("model")}
              testId="vehicle-model"
            />
          </div>
          <div className="field-pair field-pair-even">
            <TextField
              label={t("vehicles.colour")}
              value={d.colour}
              onChange={set("colour")}
              dir="auto"
              error={form.err("colour")}
              testId="vehicle-colour"
            />
            <SelectField
              label={t("vehicles.use")}
              value={use}
              onChange={(v) => setUse(VEHICLE_USES.find((x) => x === v) ?? "other")}
              options={VEHICLE_USES.map((x) => ({ value: x, label: t(`vehicleUse.${x}`) }))}
              error={form.err("use")}
              testId="vehicle-use"
            />
          </div>
          <TextField
            label={t("vehicles.descriptionOptional")}
            value={d.description}
            onChange={set("description")}
            dir="auto"
            error={form.err("description")}
            testId="vehicle-description"
          />
          <div>
            <button
              type="submit"
              className="button button-primary"
              disabled={form.busy}
              data-testid="vehicle-submit"
            >
              {form.busy ? t("common.saving") : t("vehicles.submit")}
            </button>
          </div>
        </form>
      </AddForm>
    </section>
  );
}
