#pragma once

#include <napi.h>

#include "errors.h"

namespace ptp {

void InitPortWrap(Napi::Env env, Napi::Object exports);
// Converts a TransportError into a JS Error carrying `code`, `errno`, `syscall`.
Napi::Error ToJsError(Napi::Env env, const TransportError& e);

}  // namespace ptp
