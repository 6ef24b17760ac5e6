export { TesseraError, type ApiErrorEntry } from './errors'
export { buildPath, type Method, type PathsWith, type RequestInput } from './typed-request'
