import type { ApiClient } from '../../core/api/client';
import { seg } from '../../core/api/endpoints';

// The file routes of attachment fields (server/handlers_files.go).

/** StoredFile is a file the server keeps for an attachment field (FileMeta in openapi.json). */
export interface StoredFile {
  id: string;
  form: string;
  /** field is "documents", or "contacts.photo" for a column of a sub-table. */
  field: string;
  name: string;
  size: number;
  content_type: string;
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
  /** record holds the file; absent while it is not attached yet. */
  record?: string;
  attached_at?: string;
  /** path is where the record holds it ("/documents/0"), in a record's list. */
  path?: string;
}

const formPath = (tenant: string, form: string) => `/t/${seg(tenant)}/forms/${seg(form)}`;

/**
 * uploadFile sends one file for an attachment field (201 with the stored file; 413
 * file_too_large, 415 file_type_not_allowed, 422 empty_file or invalid_field).
 */
export function uploadFile(api: ApiClient, tenant: string, form: string, field: string, file: File): Promise<StoredFile> {
  const body = new FormData();
  body.append('file', file, file.name);
  return api.post<StoredFile>(`${formPath(tenant, form)}/files?field=${encodeURIComponent(field)}`, body);
}

/** recordFiles lists the files a record holds in the fields the caller reads in full. */
export async function recordFiles(api: ApiClient, tenant: string, form: string, record: string): Promise<StoredFile[]> {
  const res = await api.get<{ files?: StoredFile[] }>(`${formPath(tenant, form)}/records/${seg(record)}/files`);
  return res.files ?? [];
}

/** fileHref is the URL the browser downloads a record's file from (the session cookie authenticates it). */
export const fileHref = (api: ApiClient, tenant: string, form: string, record: string, file: string) =>
  api.href(`${formPath(tenant, form)}/records/${seg(record)}/files/${seg(file)}`);
