#!/usr/bin/env bash
# Fetches the ONNX Runtime native library (libonnxruntime.so.1, linux-x64, CPU) into .native/onnxruntime/.
#
# NuGet's Microsoft.ML.OnnxRuntime is not reachable here, so the library comes out of the npm package
# onnxruntime-node, which ships the same native build. `npm pack` only downloads the tarball: a plain
# `npm install` would run the package's postinstall, which tries to download CUDA binaries and fails offline.
#
# Idempotent: exits at once when the library is present with the expected hash. Quiet unless it fails.
set -euo pipefail

ORT_VERSION="1.30.0"
EXPECTED_SHA256="ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23"
INNER_PATH="package/bin/napi-v6/linux/x64/libonnxruntime.so.1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="${repo_root}/.native/onnxruntime"
target="${target_dir}/libonnxruntime.so.1"

hash_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "${target}" && "$(hash_of "${target}")" == "${EXPECTED_SHA256}" ]]; then
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-onnxruntime: npm is required (apt-get install npm)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

if ! (cd "${work}" && npm pack --silent "onnxruntime-node@${ORT_VERSION}" >pack.log 2>&1); then
  echo "fetch-onnxruntime: npm pack onnxruntime-node@${ORT_VERSION} failed:" >&2
  cat "${work}/pack.log" >&2
  exit 1
fi

tarball="$(ls "${work}"/onnxruntime-node-*.tgz 2>/dev/null | head -n1)"
[[ -n "${tarball}" ]] || { echo "fetch-onnxruntime: npm pack produced no tarball" >&2; exit 1; }

tar -xzf "${tarball}" -C "${work}" "${INNER_PATH}" || {
  echo "fetch-onnxruntime: ${INNER_PATH} not found in ${tarball##*/}" >&2; exit 1; }

actual="$(hash_of "${work}/${INNER_PATH}")"
if [[ "${actual}" != "${EXPECTED_SHA256}" ]]; then
  echo "fetch-onnxruntime: sha256 mismatch for libonnxruntime.so.1: expected ${EXPECTED_SHA256}, got ${actual}" >&2
  exit 1
fi

mkdir -p "${target_dir}"
# Copy then rename so a concurrent reader never sees a half-written library.
cp "${work}/${INNER_PATH}" "${target}.tmp.$$"
mv -f "${target}.tmp.$$" "${target}"
