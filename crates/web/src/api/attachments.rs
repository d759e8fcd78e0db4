//! Files on requests through the API: staff upload (multipart/form-data, one `file` part),
//! list and download them; the client sends files and downloads those shown to them by
//! tracking code. A file over 10 MiB is a 413 `too_large`, a type not accepted (judged by
//! the content) a 415 `type_not_allowed` — RFC 9110 §15.5.16 covers a format found "by
//! inspecting the data directly" — and both leave nothing stored.

use super::{created, path_id, requests::rfc3339};
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, CurrentActor};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use okno_app::attachments::{AttachmentRecord, Download, MAX_FILE_BYTES};
use okno_app::AppError;
use okno_domain::FieldError;
use serde::Serialize;

/// An upload's body may exceed the file by this much: the multipart framing and the other
/// fields. Anything larger is cut off while it is read.
pub const UPLOAD_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/requests/{id}/attachments", get(list).post(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/api/v1/requests/{id}/attachments/{aid}", get(download))
        .route("/api/v1/status/{code}/attachments", get(client_list).post(client_upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/api/v1/status/{code}/attachments/{aid}", get(client_download))
}

/// A file on a request, without its bytes.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: String,
    /// The name as cleaned on upload, ending in the extension of the type found.
    pub name: String,
    /// The type found by reading the content.
    pub media_type: String,
    /// Bytes.
    pub size: i64,
    pub sha256: String,
    /// `client`, or the staff account (`account:<id>`).
    pub uploaded_by: String,
    /// Shown to the client on the status page.
    pub client_visible: bool,
    pub created_at: String,
    /// Where to download it.
    pub url: String,
}

fn view(a: &AttachmentRecord, url: String) -> AttachmentView {
    AttachmentView {
        id: a.id.to_string(),
        name: a.name.clone(),
        media_type: a.media_type.clone(),
        size: a.size,
        sha256: a.sha256.clone(),
        uploaded_by: a.uploaded_by.clone(),
        client_visible: a.client_visible,
        created_at: rfc3339(a.created_at),
        url,
    }
}

/// The multipart form of an upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the form to OpenAPI; the handler reads the parts itself.
pub struct UploadForm {
    /// The file: PDF, PNG, JPEG, DOCX, XLSX, ODT or UTF-8 text, at most 10 MiB; the
    /// part's file name is kept (cleaned).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `true` shows the file to the client on the status page (staff uploads only).
    client_visible: Option<bool>,
}

/// One uploaded file as read from a multipart body.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub client_visible: bool,
}

/// Reads the `file` part (and `client_visible`) of a multipart body. A body over the
/// route's limit is `too_large`; no file part is `no_file`.
pub async fn read_upload(mut mp: Multipart) -> Result<Upload, FieldError> {
    let refused = |code: &'static str, message: &str| FieldError { field: "file".into(), code, message: message.into() };
    let too_large = || refused("too_large", "the file is larger than 10 MB; send a smaller one or split it");
    let mut upload: Option<Upload> = None;
    let mut client_visible = false;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(refused("bad_multipart", "the upload could not be read; send it again")),
        };
        match field.name() {
            Some("file") if upload.is_none() => {
                let name = field.file_name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) => upload = Some(Upload { name, bytes: b.to_vec(), client_visible: false }),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                    Err(_) => return Err(refused("bad_multipart", "the upload could not be read; send it again")),
                }
            }
            Some("file") => return Err(refused("one_file", "send one file at a time")),
            Some("client_visible") => client_visible = matches!(field.text().await.as_deref(), Ok("true" | "1" | "on" | "yes")),
            _ => {}
        }
    }
    // A form sent with no file chosen has a `file` part with no name and no bytes.
    match upload {
        Some(u) if !(u.name.is_empty() && u.bytes.is_empty()) => Ok(Upload { client_visible, ..u }),
        _ => Err(refused("no_file", "choose a file")),
    }
}

/// A refused upload: 413 for size, 415 for type, the usual mapping otherwise.
fn upload_error(e: AppError) -> ApiError {
    let status = match &e {
        AppError::Invalid(inv) if inv.0.iter().any(|f| f.code == "too_large") => Some((StatusCode::PAYLOAD_TOO_LARGE, "too_large")),
        AppError::Invalid(inv) if inv.0.iter().any(|f| f.code == "type_not_allowed") => {
            Some((StatusCode::UNSUPPORTED_MEDIA_TYPE, "type_not_allowed"))
        }
        _ => None,
    };
    let mut api = ApiError::from(e);
    if let Some((status, code)) = status {
        api.status = status;
        api.body.code = code.into();
    }
    api
}

fn field_error(f: FieldError) -> ApiError {
    upload_error(okno_domain::Invalid(vec![f]).into())
}

fn bad_multipart(r: MultipartRejection) -> ApiError {
    ApiError::bad_request("bad_multipart", format!("send the file as multipart/form-data with a `file` part ({})", r.body_text()))
}

/// The file as a download: never shown inline, served with the type found on upload.
pub fn download_response(d: Download) -> Response {
    let name = &d.record.name;
    // An ASCII name for old clients, the real one in RFC 5987 form for the rest.
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    let disposition = format!("attachment; filename=\"{}\"; filename*=UTF-8''{encoded}", ascii.replace(['"', '\\'], "_"));
    (
        [
            (header::CONTENT_TYPE, d.record.media_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            // Personal data: not for shared caches, nor kept by the browser.
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        d.content,
    )
        .into_response()
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/attachments", tag = "requests",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, description = "the file is over 10 MiB (too_large); nothing is stored", body = ErrorBody),
        (status = 415, description = "the content is not an accepted type (type_not_allowed); nothing is stored", body = ErrorBody),
        (status = 422, description = "empty, no file, or the request has 20 files already (too_many_files)", body = ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(&id, "request")?;
    // Who may, and whether the request exists, before the upload is read.
    st.app.may_attach(&a, id).await?;
    let u = read_upload(mp.map_err(bad_multipart)?).await.map_err(field_error)?;
    let r = st.app.attach(&a, id, &u.name, &u.bytes, u.client_visible).await.map_err(upload_error)?;
    let url = format!("/api/v1/requests/{id}/attachments/{}", r.id);
    Ok(created(url.clone(), view(&r, url)))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}/attachments", tag = "requests",
    responses((status = 200, body = Vec<AttachmentView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    let id = path_id(&id, "request")?;
    let files = st.app.attachments(&a, id).await?;
    Ok(Json(files.iter().map(|f| view(f, format!("/api/v1/requests/{id}/attachments/{}", f.id))).collect()))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}/attachments/{aid}", tag = "requests",
    responses((status = 200, description = "the file, as an attachment, with the type found on upload", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(st): State<AppState>,
    CurrentActor(a): CurrentActor,
    Path((id, aid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let d = st.app.attachment(&a, path_id(&id, "request")?, path_id(&aid, "attachment")?).await?;
    Ok(download_response(d))
}

/// The files of a request as its client sees them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ClientFilesView {
    /// Files the body shows you.
    pub from_body: Vec<AttachmentView>,
    /// Files you sent: their type, size and time, without names.
    #[schema(value_type = Vec<Object>)]
    pub sent: Vec<SentView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SentView {
    pub media_type: String,
    pub size: i64,
    pub created_at: String,
}

#[utoipa::path(post, path = "/api/v1/status/{code}/attachments", tag = "requests",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = ClientFilesView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "the request is closed (request_closed) or suspended (not_accepting)", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn client_upload(
    State(st): State<AppState>,
    Path(code): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    st.app.client_may_attach(&code).await?;
    let u = read_upload(mp.map_err(bad_multipart)?).await.map_err(field_error)?;
    st.app.attach_by_client(&code, &u.name, &u.bytes).await.map_err(upload_error)?;
    Ok((StatusCode::CREATED, Json(client_files(&st, &code).await?)).into_response())
}

async fn client_files(st: &AppState, code: &str) -> Result<ClientFilesView, ApiError> {
    let files = st.app.client_attachments(code).await?;
    Ok(ClientFilesView {
        from_body: files.from_body.iter().map(|f| view(f, format!("/api/v1/status/{code}/attachments/{}", f.id))).collect(),
        sent: files
            .sent
            .iter()
            .map(|s| SentView { media_type: s.media_type.clone(), size: s.size, created_at: rfc3339(s.created_at) })
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/status/{code}/attachments", tag = "requests",
    responses((status = 200, body = ClientFilesView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn client_list(State(st): State<AppState>, Path(code): Path<String>) -> Result<Json<ClientFilesView>, ApiError> {
    Ok(Json(client_files(&st, &code).await?))
}

#[utoipa::path(get, path = "/api/v1/status/{code}/attachments/{aid}", tag = "requests",
    responses((status = 200, description = "a file the body shows the client", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn client_download(State(st): State<AppState>, Path((code, aid)): Path<(String, String)>) -> Result<Response, ApiError> {
    let d = st.app.client_attachment(&code, path_id(&aid, "attachment")?).await?;
    Ok(download_response(d))
}
