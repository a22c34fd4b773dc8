/** The text of a PDF, page after page (pdfjs-dist, as a reader would extract it). */
import { join } from "node:path";

export async function pdfText(pdf: Uint8Array): Promise<string> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const standardFontDataUrl = join(import.meta.dirname, "../../node_modules/pdfjs-dist/standard_fonts/");
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, standardFontDataUrl })
    .promise;
  let text = "";
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += `${content.items.map((it) => ("str" in it ? it.str : "")).join(" ")}\n`;
  }
  await doc.destroy();
  return text;
}
