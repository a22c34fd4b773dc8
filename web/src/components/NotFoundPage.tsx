/** A path that is not a page, or a page this user may not see. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageTitle } from "./PageTitle.tsx";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t("notFound.title")}</PageTitle>
      <p>{t("notFound.body")}</p>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </>
  );
}
