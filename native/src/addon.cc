// Module entry: ports (port_wrap.cc) and clocks.
#include <napi.h>

#include "clock_util.h"
#include "clocks.h"
#include "errors.h"
#include "interface.h"
#include "netns.h"
#include "port_wrap.h"
#include "timestamping.h"

namespace ptp {
namespace {

Napi::Value SystemTimeNs(const Napi::CallbackInfo& info) { return Napi::BigInt::New(info.Env(), RealtimeNs()); }

Napi::Value MonotonicTimeNs(const Napi::CallbackInfo& info) { return Napi::BigInt::New(info.Env(), MonotonicNs()); }

Napi::Value PhcTime(const Napi::CallbackInfo& info) {
  try {
    return Napi::BigInt::New(info.Env(), PhcTimeNs(info[0].As<Napi::Number>().Int32Value()));
  } catch (const TransportError& e) {
    throw ToJsError(info.Env(), e);
  }
}

Napi::Value PhcOffsetJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    const int samples = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : 9;
    PhcOffset o = MeasurePhcOffset(info[0].As<Napi::Number>().Int32Value(), samples);
    Napi::Object r = Napi::Object::New(env);
    r.Set("offsetNs", Napi::BigInt::New(env, o.offsetNs));
    r.Set("delayNs", Napi::BigInt::New(env, o.delayNs));
    r.Set("systemNs", Napi::BigInt::New(env, o.systemNs));
    r.Set("method", o.method);
    return r;
  } catch (const TransportError& e) {
    throw ToJsError(env, e);
  }
}

// interfaceInfo(name, netns?): link state and timestamping capabilities,
// without opening a port.
Napi::Value InterfaceInfoJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    const std::string name = info[0].ToString().Utf8Value();
    const std::string netns = info.Length() > 1 && info[1].IsString() ? info[1].ToString().Utf8Value() : "";
    InterfaceInfo itf;
    TsInfo ts;
    RunInNetns(netns, [&] {
      itf = QueryInterface(name);
      ts = QueryTsInfo(name);
    });
    Napi::Object r = Napi::Object::New(env);
    char mac[18];
    snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", itf.mac[0], itf.mac[1], itf.mac[2], itf.mac[3], itf.mac[4],
             itf.mac[5]);
    r.Set("interface", itf.name);
    r.Set("ifindex", itf.ifindex);
    r.Set("mac", std::string(mac));
    r.Set("up", itf.up);
    r.Set("carrier", itf.running);
    r.Set("mtu", itf.mtu);
    r.Set("ethtoolAnswered", ts.queried);
    r.Set("soTimestampingCaps", ts.soTimestamping);
    r.Set("phcIndex", ts.phcIndex >= 0 ? Napi::Value(Napi::Number::New(env, ts.phcIndex)) : env.Null());
    r.Set("txTypes", ts.txTypes);
    r.Set("rxFilters", ts.rxFilters);
    return r;
  } catch (const TransportError& e) {
    throw ToJsError(env, e);
  }
}

}  // namespace
}  // namespace ptp

static Napi::Object InitPtpNative(Napi::Env env, Napi::Object exports) {
  using namespace ptp;
  exports.Set("systemTimeNs", Napi::Function::New(env, SystemTimeNs));
  exports.Set("monotonicTimeNs", Napi::Function::New(env, MonotonicTimeNs));
  exports.Set("phcTimeNs", Napi::Function::New(env, PhcTime));
  exports.Set("phcSystemOffset", Napi::Function::New(env, PhcOffsetJs));
  exports.Set("interfaceInfo", Napi::Function::New(env, InterfaceInfoJs));
  InitPortWrap(env, exports);
  return exports;
}

NODE_API_MODULE(ptp_native, InitPtpNative)
