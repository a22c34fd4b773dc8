import { z } from "zod";
import { ERROR_STATUS } from "../../domain/errors.ts";

export const errorBodySchema = z.object({
  error: z.looseObject({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })),
    requestId: z.string().optional(),
  }),
});

/** The error answers every API route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
  429: errorBodySchema,
  500: errorBodySchema,
} as const;

export const idParams = z.strictObject({ id: z.uuid("must be a UUID") });
