// One error shape for every route: { error: { code, message, details } }.
import { Type } from 'typebox'

export class ApiError extends Error {
  /** response headers that belong to the error (Retry-After on 429 and 503) */
  headers?: Record<string, string>
  constructor (public statusCode: number, public code: string, message: string, public details?: unknown) {
    super(message)
  }
}

/** 429 or 503 with Retry-After: the client may try again later. */
export function retryLater (statusCode: 429 | 503, code: string, message: string, retryAfterS: number): ApiError {
  const e = new ApiError(statusCode, code, message)
  e.headers = { 'retry-after': String(retryAfterS) }
  return e
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'BAD_REQUEST', message, details)
export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message)
export const unauthorized = (message = 'a valid bearer token is required') => new ApiError(401, 'UNAUTHORIZED', message)
export const tooManyRequests = (message: string) => new ApiError(429, 'RATE_LIMITED', message)
export const forbidden = (message = 'this token may not use this route') => new ApiError(403, 'FORBIDDEN', message)

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
}, { $id: 'ErrorBody' })
