//! Requantization of a GGUF model to Q8_0 at first load, cached on disk.
//!
//! candle has fast (AVX2 / AVX-512 VNNI) matmul kernels for Q8_0 and the K-quants, but only a scalar path
//! for the legacy Q4_1/Q5_x formats, which makes a Q4_1 model about three times slower to decode. Turning
//! those weights into Q8_0 once, and keeping the result, buys the fast path for every later run.
//!
//! The cache file sits next to the source model and is keyed by the SOURCE file's sha256:
//! `<dir>/<stem>.q8_0.<first 16 hex digits of sha256>.gguf`. The source is hashed on every load (a
//! fraction of a second for the 98 MB default model); a replaced or edited source never meets a stale
//! cache. The file is written under a temporary name and renamed into place, so concurrent runs at
//! worst both requantize and one rename wins, and a reader never sees a half-written file. When the
//! model's directory is not writable the cache goes to `${XDG_CACHE_HOME:-~/.cache}/bench/models`; when
//! that fails too the weights are requantized in memory on every load, with a warning.

use std::fs::File;
use std::io::{BufReader, BufWriter, Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use candle_core::Device;
use candle_core::quantized::{GgmlDType, QTensor, gguf_file};
use sha2::{Digest, Sha256};

/// Something a GGUF model can be read from: the file on disk or a requantized copy in memory.
pub(crate) trait ReadSeek: Read + Seek + Send {}

impl<T: Read + Seek + Send> ReadSeek for T {}

/// Where the weights that are about to be loaded came from; reported in debug logs and checked by tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The model file as shipped (no requantization asked for).
    Source,
    /// A cache file written by an earlier load.
    Cached(PathBuf),
    /// Requantized now and written to this cache file.
    Created(PathBuf),
    /// Requantized now, kept in memory only (no writable cache directory).
    InMemory,
}

/// An opened GGUF model: its header, a reader positioned anywhere, and where it came from.
pub(crate) struct Opened {
    /// Metadata and tensor directory.
    pub(crate) content: gguf_file::Content,
    /// The bytes the tensors are read from.
    pub(crate) reader: Box<dyn ReadSeek>,
    /// Source, cache hit, or freshly requantized.
    pub(crate) origin: Origin,
}

/// Open `path` as shipped.
pub(crate) fn open_source(path: &Path) -> Result<Opened, String> {
    let (content, reader) = open_file(path)?;
    Ok(Opened { content, reader: Box::new(reader), origin: Origin::Source })
}

/// Open the Q8_0 version of `source`: the cached file when one exists for this exact source, else
/// requantize now and cache the result (next to the model, else in the user cache, else nowhere).
pub(crate) fn open_q8_0(source: &Path) -> Result<Opened, String> {
    let started = Instant::now();
    let digest = sha256_file(source)?;
    tracing::debug!(path = %source.display(), ms = started.elapsed().as_millis() as u64, "hashed model file");
    let name = cache_name(source, &digest);
    let dirs = cache_dirs(source);
    // The first directory that has the file, or failing that can take it, is the cache: a model in a
    // writable directory never looks further, one in a read-only directory uses the user cache.
    for dir in &dirs {
        let path = dir.join(&name);
        if path.is_file() {
            match open_file(&path) {
                Ok((content, reader)) => {
                    return Ok(Opened { content, reader: Box::new(reader), origin: Origin::Cached(path) });
                }
                Err(e) => tracing::warn!("rewriting unreadable requantized cache {}: {e}", path.display()),
            }
        }
        match TempFile::create(dir, &name) {
            Ok(temp) => {
                let bytes = requantize_timed(source)?;
                let origin = match temp.persist(&bytes, &path) {
                    Ok(()) => Origin::Created(path),
                    Err(e) => {
                        tracing::warn!("cannot write the requantized model to {}: {e}", path.display());
                        Origin::InMemory
                    }
                };
                return open_bytes(bytes, origin);
            }
            Err(e) => tracing::debug!("cannot cache the requantized model in {}: {e}", dir.display()),
        }
    }
    tracing::warn!(
        "no writable cache directory for the requantized model ({}); it is requantized in memory on every \
         load",
        dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
    );
    open_bytes(requantize_timed(source)?, Origin::InMemory)
}

/// [`requantize`], with its duration logged.
fn requantize_timed(source: &Path) -> Result<Vec<u8>, String> {
    let started = Instant::now();
    let bytes = requantize(source)?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, bytes = bytes.len(), "requantized to q8_0");
    Ok(bytes)
}

/// Open a model held in memory.
fn open_bytes(bytes: Vec<u8>, origin: Origin) -> Result<Opened, String> {
    let mut reader = Cursor::new(bytes);
    let content = gguf_file::Content::read(&mut reader)
        .map_err(|e| format!("cannot read back the requantized model: {e}"))?;
    Ok(Opened { content, reader: Box::new(reader), origin })
}

/// Open a GGUF file and read its header.
fn open_file(path: &Path) -> Result<(gguf_file::Content, BufReader<File>), String> {
    let file = File::open(path).map_err(|e| format!("cannot open model file {}: {e}", path.display()))?;
    let mut reader = BufReader::new(file);
    let content = gguf_file::Content::read(&mut reader)
        .map_err(|e| format!("{} is not a readable GGUF model: {e}", path.display()))?;
    Ok((content, reader))
}

/// Hex sha256 of a file, streamed.
pub(crate) fn sha256_file(path: &Path) -> Result<String, String> {
    let mut file = File::open(path).map_err(|e| format!("cannot open model file {}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::core::hex(&hasher.finalize()))
}

/// The cache file name for a source model with this digest.
pub(crate) fn cache_name(source: &Path, digest_hex: &str) -> String {
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into());
    let key = digest_hex.get(..16).unwrap_or(digest_hex);
    format!("{stem}.q8_0.{key}.gguf")
}

/// Where a cache file may live, in order of preference: next to the model, then the user cache.
fn cache_dirs(source: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(parent) = source.parent() {
        let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
        dirs.push(parent.to_path_buf());
    }
    if let Some(base) = crate::dirs::cache_dir() {
        let dir = base.join("models");
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs
}

/// Whether a tensor's format has no fast candle kernel but converts to Q8_0 without trouble (same
/// 32-element blocks, so every row length that was valid stays valid).
fn needs_requant(dtype: GgmlDType) -> bool {
    matches!(dtype, GgmlDType::Q4_0 | GgmlDType::Q4_1 | GgmlDType::Q5_0 | GgmlDType::Q5_1 | GgmlDType::Q8_1)
}

/// The GGUF `general.file_type` code of a model whose weights are mostly Q8_0.
const FILE_TYPE_MOSTLY_Q8_0: u32 = 7;

/// Requantize every legacy-quant 2-D weight of `source` to Q8_0 and return the whole model as GGUF
/// bytes: same metadata (file type updated), same tensors in the same order, F32 tensors (norms) and
/// tensors already in a fast format untouched.
pub(crate) fn requantize(source: &Path) -> Result<Vec<u8>, String> {
    let (content, mut reader) = open_file(source)?;
    let mut names: Vec<(&String, u64)> =
        content.tensor_infos.iter().map(|(name, info)| (name, info.offset)).collect();
    names.sort_by_key(|&(name, offset)| (offset, name.clone()));
    let device = Device::Cpu;
    let mut tensors = Vec::with_capacity(names.len());
    for (name, _) in names {
        let tensor = content.tensor(&mut reader, name, &device).map_err(|e| format!("tensor {name}: {e}"))?;
        let tensor = if needs_requant(tensor.dtype()) && tensor.rank() == 2 {
            let dense = tensor.dequantize(&device).map_err(|e| format!("tensor {name}: {e}"))?;
            QTensor::quantize(&dense, GgmlDType::Q8_0).map_err(|e| format!("tensor {name}: {e}"))?
        } else {
            tensor
        };
        tensors.push((name.as_str(), tensor));
    }
    let file_type = gguf_file::Value::U32(FILE_TYPE_MOSTLY_Q8_0);
    let mut metadata: Vec<(&str, &gguf_file::Value)> = content
        .metadata
        .iter()
        // The writer always aligns to 32 bytes, the reader's default: an explicit other value would lie.
        .filter(|(key, _)| key.as_str() != "general.alignment")
        .map(|(key, value)| (key.as_str(), if key == "general.file_type" { &file_type } else { value }))
        .collect();
    metadata.sort_by_key(|&(key, _)| key);
    let refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(name, t)| (*name, t)).collect();
    let mut out =
        Cursor::new(Vec::with_capacity(refs.iter().map(|(_, t)| t.storage_size_in_bytes() + 64).sum()));
    gguf_file::write(&mut out, &metadata, &refs)
        .map_err(|e| format!("cannot write the requantized model: {e}"))?;
    Ok(out.into_inner())
}

/// Distinguishes temporary files of concurrent writers within one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file being written under a temporary name in the directory of its final name, so that the rename
/// that publishes it is atomic: no reader ever sees a partial file and concurrent writers cannot
/// interleave. Removed on drop unless published.
struct TempFile {
    /// Where it is written.
    path: PathBuf,
    /// The open file; `None` once published.
    file: Option<File>,
}

impl TempFile {
    /// Create a fresh temporary file for `name` in `dir` (this is also the check that `dir` is
    /// writable).
    fn create(dir: &Path, name: &str) -> std::io::Result<TempFile> {
        std::fs::create_dir_all(dir)?;
        let unique = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".{name}.{}.{unique}.tmp", std::process::id()));
        let file = File::options().write(true).create_new(true).open(&path)?;
        Ok(TempFile { path, file: Some(file) })
    }

    /// Write `bytes`, flush them to disk, and rename the file to `target`.
    fn persist(mut self, bytes: &[u8], target: &Path) -> std::io::Result<()> {
        let file = self.file.take().ok_or_else(|| std::io::Error::other("temporary file already used"))?;
        let mut writer = BufWriter::new(file);
        writer.write_all(bytes)?;
        writer.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&self.path, target)?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
