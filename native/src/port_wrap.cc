// N-API face of a Port. Events from the native threads are queued and handed
// to JavaScript in batches through one thread-safe function per port: at
// most one call is outstanding, whatever the frame rate.
#include "port_wrap.h"

#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "port.h"

namespace ptp {

namespace {

struct EventQueue {
  std::mutex m;
  std::vector<Event> items;
  bool callPending = false;
  bool closed = false;
  Napi::ThreadSafeFunction tsfn;
};

std::string MacText(const uint8_t* m) {
  char buf[18];
  snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return buf;
}

Napi::Value NsOrNull(Napi::Env env, int64_t ns) {
  return ns >= 0 ? Napi::Value(Napi::BigInt::New(env, ns)) : env.Null();
}

Napi::Object ToJs(Napi::Env env, const Event& e) {
  Napi::Object o = Napi::Object::New(env);
  switch (e.type) {
    case Event::Type::Rx: {
      o.Set("type", "rx");
      o.Set("socket", e.socketRole == 0 ? "event" : "general");
      o.Set("data", Napi::Buffer<uint8_t>::Copy(env, e.data.data(), e.data.size()));
      o.Set("rxTimestampNs", NsOrNull(env, e.timestampNs));
      if (!e.raw.empty()) {
        o.Set("raw", Napi::Buffer<uint8_t>::Copy(env, e.raw.data(), e.raw.size()));
        o.Set("srcMac", MacText(e.srcMac));
        o.Set("dstMac", MacText(e.dstMac));
        if (e.vlanTci >= 0) {
          Napi::Object v = Napi::Object::New(env);
          v.Set("pcp", (e.vlanTci >> 13) & 7);
          v.Set("dei", (e.vlanTci >> 12) & 1);
          v.Set("vid", e.vlanTci & 0xFFF);
          v.Set("tpid", e.vlanTpid);
          o.Set("vlan", v);
        }
      } else {
        o.Set("srcAddress", e.srcAddress);
        o.Set("srcPort", e.srcPort);
        o.Set("dstAddress", e.dstAddress);
        o.Set("dstPort", e.dstPort);
        if (e.tos >= 0) o.Set("tos", e.tos);
        if (e.ttl >= 0) o.Set("ttl", e.ttl);
      }
      break;
    }
    case Event::Type::Tx:
    case Event::Type::TxError:
      o.Set("type", e.type == Event::Type::Tx ? "tx" : "txerror");
      o.Set("id", static_cast<double>(e.id));
      o.Set("txTimestampNs", NsOrNull(env, e.timestampNs));
      o.Set("sendNs", NsOrNull(env, e.sendNs));
      break;
    case Event::Type::Train:
      o.Set("type", "train");
      o.Set("job", static_cast<double>(e.id));
      o.Set("index", static_cast<double>(e.index));
      o.Set("sequenceId", e.sequenceId);
      o.Set("deadlineNs", NsOrNull(env, e.deadlineNs));
      o.Set("sendNs", NsOrNull(env, e.sendNs));
      o.Set("txTimestampNs", NsOrNull(env, e.timestampNs));
      o.Set("followUpSent", e.followUpSent);
      break;
    case Event::Type::JobDone:
      o.Set("type", "jobdone");
      o.Set("job", static_cast<double>(e.id));
      o.Set("stopped", e.stopped);
      o.Set("sent", static_cast<double>(e.sent));
      o.Set("failed", static_cast<double>(e.failed));
      break;
    case Event::Type::Load:
      o.Set("type", "load");
      o.Set("job", static_cast<double>(e.id));
      o.Set("stopped", e.stopped);
      o.Set("sent", static_cast<double>(e.sent));
      o.Set("stamped", static_cast<double>(e.stamped));
      o.Set("failed", static_cast<double>(e.failed));
      o.Set("startNs", NsOrNull(env, e.startNs));
      o.Set("endNs", NsOrNull(env, e.endNs));
      break;
    case Event::Type::Error:
      o.Set("type", "error");
      break;
  }
  if (!e.code.empty()) o.Set("code", e.code);
  if (!e.message.empty()) o.Set("message", e.message);
  return o;
}

Napi::Array ToJsArray(Napi::Env env, const std::vector<Event>& items) {
  Napi::Array arr = Napi::Array::New(env, items.size());
  for (size_t i = 0; i < items.size(); i++) arr.Set(static_cast<uint32_t>(i), ToJs(env, items[i]));
  return arr;
}

// ---- option readers -------------------------------------------------------

bool Has(const Napi::Object& o, const char* k) {
  return o.Has(k) && !o.Get(k).IsUndefined();
}

int64_t ToInt64(const Napi::Value& v, const char* what) {
  if (v.IsBigInt()) {
    bool lossless = true;
    const int64_t r = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) throw TransportError("EINVAL_OPTION", std::string(what) + " does not fit in 64 bits");
    return r;
  }
  if (v.IsNumber()) return v.As<Napi::Number>().Int64Value();
  throw TransportError("EINVAL_OPTION", std::string(what) + " must be a bigint or number");
}

int IntOpt(const Napi::Object& o, const char* k, int def) {
  if (!Has(o, k)) return def;
  Napi::Value v = o.Get(k);
  if (v.IsNull()) return -1;
  if (!v.IsNumber()) throw TransportError("EINVAL_OPTION", std::string(k) + " must be a number");
  return v.As<Napi::Number>().Int32Value();
}

bool BoolOpt(const Napi::Object& o, const char* k, bool def) {
  return Has(o, k) ? o.Get(k).ToBoolean().Value() : def;
}

std::string StrOpt(const Napi::Object& o, const char* k, const std::string& def) {
  return Has(o, k) ? o.Get(k).ToString().Utf8Value() : def;
}

std::vector<uint8_t> Bytes(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw TransportError("EINVAL_FRAME", std::string(what) + " must be a Uint8Array");
  auto a = v.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(a.Data(), a.Data() + a.ElementLength());
}

SendSpec ReadSendSpec(const Napi::Value& v) {
  SendSpec s;
  if (!v.IsObject()) return s;
  Napi::Object o = v.As<Napi::Object>();
  s.event = BoolOpt(o, "event", true);
  s.dest = StrOpt(o, "dest", "primary");
  s.port = IntOpt(o, "port", -1);
  s.raw = BoolOpt(o, "raw", false);
  s.src = StrOpt(o, "src", "");
  if (o.Has("vlan")) {
    Napi::Value vl = o.Get("vlan");
    if (vl.IsNull()) {
      s.vlanMode = 0;
    } else if (vl.IsObject()) {
      s.vlanMode = 1;
      s.pcp = IntOpt(vl.As<Napi::Object>(), "pcp", 0);
      s.vid = IntOpt(vl.As<Napi::Object>(), "vid", 0);
    }
  }
  return s;
}

PortConfig ReadPortConfig(const Napi::Object& o) {
  PortConfig c;
  c.ifname = StrOpt(o, "interface", "");
  c.netns = StrOpt(o, "netns", "");
  const std::string t = StrOpt(o, "transport", "l2");
  if (t == "l2") c.transport = Transport::L2;
  else if (t == "udp4") c.transport = Transport::UDP4;
  else if (t == "udp6") c.transport = Transport::UDP6;
  else throw TransportError("EINVAL_OPTION", "transport must be l2, udp4 or udp6, got '" + t + "'");
  c.timestamping = StrOpt(o, "timestamping", "auto");
  if (c.timestamping != "auto" && c.timestamping != "software" && c.timestamping != "hardware")
    throw TransportError("EINVAL_OPTION", "timestamping must be auto, software or hardware");
  if (Has(o, "vlan") && o.Get("vlan").IsObject()) {
    Napi::Object v = o.Get("vlan").As<Napi::Object>();
    c.vlan = true;
    c.pcp = IntOpt(v, "pcp", 0);
    c.vid = IntOpt(v, "vid", 0);
  }
  c.udp.ttl = IntOpt(o, "ttl", 1);
  c.udp.dscp = IntOpt(o, "dscp", 0);
  c.udp.hopLimit = IntOpt(o, "hopLimit", 1);
  c.udp.trafficClass = IntOpt(o, "trafficClass", 0);
  c.udp.dscpGeneral = IntOpt(o, "dscpGeneral", -1);
  c.udp.trafficClassGeneral = IntOpt(o, "trafficClassGeneral", -1);
  c.udp.udp6Scope = IntOpt(o, "udp6Scope", 0xE);
  c.udp.reuseAddress = BoolOpt(o, "reuseAddress", false);
  c.txTimeoutMs = IntOpt(o, "txTimeoutMs", 1000);
  c.requireCarrier = BoolOpt(o, "requireCarrier", true);
  c.cpu = IntOpt(o, "cpu", -1);
  c.realtimePriority = IntOpt(o, "realtimePriority", -1);
  if (Has(o, "spinNs")) c.spinNs = ToInt64(o.Get("spinNs"), "spinNs");
  c.compensateLatency = BoolOpt(o, "compensateLatency", true);
  return c;
}

class PortWrap;
std::set<PortWrap*>* g_live = nullptr;  // per process; the addon is loaded once

class PortWrap : public Napi::ObjectWrap<PortWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativePort",
                       {InstanceMethod<&PortWrap::Send>("send"), InstanceMethod<&PortWrap::SendBatch>("sendBatch"),
                        InstanceMethod<&PortWrap::SendAt>("sendAt"), InstanceMethod<&PortWrap::StartTrain>("startTrain"),
                        InstanceMethod<&PortWrap::StartLoad>("startLoad"), InstanceMethod<&PortWrap::StopJob>("stopJob"),
                        InstanceMethod<&PortWrap::Close>("close"), InstanceMethod<&PortWrap::Info>("info"),
                        InstanceMethod<&PortWrap::Ref>("ref"), InstanceMethod<&PortWrap::Unref>("unref")});
  }

  explicit PortWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PortWrap>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction())
      throw Napi::TypeError::New(env, "NativePort(options, onEvents)");
    queue_ = std::make_shared<EventQueue>();
    queue_->tsfn = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "ptp-port", 0, 1);
    auto q = queue_;
    try {
      PortConfig cfg = ReadPortConfig(info[0].As<Napi::Object>());
      port_ = std::make_unique<Port>(cfg, [q](Event&& e) { Push(q, std::move(e)); });
    } catch (const TransportError& e) {
      queue_->closed = true;
      queue_->tsfn.Release();
      released_ = true;
      throw ToJsError(env, e);
    }
    if (!g_live) g_live = new std::set<PortWrap*>();
    g_live->insert(this);
  }

  ~PortWrap() override {
    if (g_live) g_live->erase(this);
    Shutdown(true);
  }

  // Stops the native side. From the env cleanup hook JS is gone: no events,
  // and the thread-safe function is left to Node's own teardown.
  void Shutdown(bool releaseTsfn) {
    {
      std::lock_guard<std::mutex> lk(queue_->m);
      queue_->closed = true;
    }
    if (port_) port_->Close();
    if (releaseTsfn && !released_) {
      released_ = true;
      queue_->tsfn.Release();
    }
    released_ = true;
  }

  static void CloseAllForCleanup() {
    if (!g_live) return;
    for (PortWrap* p : *g_live) p->Shutdown(false);
  }

 private:
  static void Push(const std::shared_ptr<EventQueue>& q, Event&& e) {
    bool call = false;
    {
      std::lock_guard<std::mutex> lk(q->m);
      q->items.push_back(std::move(e));
      if (!q->callPending && !q->closed) {
        q->callPending = true;
        call = true;
      }
    }
    if (!call) return;
    auto keep = q;
    q->tsfn.NonBlockingCall([keep](Napi::Env env, Napi::Function fn) {
      std::vector<Event> batch;
      {
        std::lock_guard<std::mutex> lk(keep->m);
        batch.swap(keep->items);
        keep->callPending = false;
        if (keep->closed) return;  // close() returned these itself
      }
      if (batch.empty() || env == nullptr || fn.IsEmpty()) return;
      try {
        fn.Call({ToJsArray(env, batch)});
      } catch (const Napi::Error& e) {
        // The JS side catches its own listeners' errors, so this is the
        // environment shutting down (no JS may run): nothing to deliver to.
        try {
          e.ThrowAsJavaScriptException();
        } catch (...) {
        }
      }
    });
  }

  Port& Live(Napi::Env env) {
    if (!port_ || port_->closed()) throw ToJsError(env, TransportError("ECLOSED", "port is closed"));
    return *port_;
  }

  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Port& p = Live(env);
    try {
      std::vector<uint8_t> msg = Bytes(info[0], "message");
      return Napi::Number::New(env, static_cast<double>(p.Send(msg.data(), msg.size(), ReadSendSpec(info[1]))));
    } catch (const TransportError& e) {
      throw ToJsError(env, e);
    }
  }

  Napi::Value SendBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Port& p = Live(env);
    try {
      if (!info[0].IsArray()) throw TransportError("EINVAL_FRAME", "sendBatch needs an array of Uint8Array");
      Napi::Array a = info[0].As<Napi::Array>();
      std::vector<std::vector<uint8_t>> msgs;
      for (uint32_t i = 0; i < a.Length(); i++) msgs.push_back(Bytes(a.Get(i), "message"));
      std::vector<uint64_t> ids = p.SendBatch(msgs, ReadSendSpec(info[1]));
      Napi::Array out = Napi::Array::New(env, ids.size());
      for (uint32_t i = 0; i < ids.size(); i++) out.Set(i, Napi::Number::New(env, static_cast<double>(ids[i])));
      return out;
    } catch (const TransportError& e) {
      throw ToJsError(env, e);
    }
  }

  Napi::Value SendAt(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Port& p = Live(env);
    try {
      std::vector<uint8_t> msg = Bytes(info[0], "message");
      const int64_t deadline = ToInt64(info[2], "deadlineNs");
      return Napi::Number::New(env, static_cast<double>(p.SendAt(msg.data(), msg.size(), ReadSendSpec(info[1]), deadline)));
    } catch (const TransportError& e) {
      throw ToJsError(env, e);
    }
  }

  Napi::Value StartTrain(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Port& p = Live(env);
    try {
      if (!info[0].IsObject()) throw TransportError("EINVAL_OPTION", "startTrain(options)");
      Napi::Object o = info[0].As<Napi::Object>();
      TrainSpec t;
      t.message = Bytes(o.Get("message"), "message");
      t.send = ReadSendSpec(o.Get("send"));
      t.startNs = ToInt64(o.Get("startNs"), "startNs");
      t.periodNs = ToInt64(o.Get("periodNs"), "periodNs");
      t.count = Has(o, "count") ? static_cast<uint64_t>(ToInt64(o.Get("count"), "count")) : 0;
      t.sequenceIdOffset = IntOpt(o, "sequenceIdOffset", 30);
      t.sequenceIdStart = IntOpt(o, "sequenceIdStart", 0);
      t.originTimestampOffset = IntOpt(o, "originTimestampOffset", 34);
      if (Has(o, "followUp") && o.Get("followUp").IsObject()) {
        Napi::Object f = o.Get("followUp").As<Napi::Object>();
        auto fu = std::make_shared<FollowUpSpec>();
        fu->message = Bytes(f.Get("message"), "followUp.message");
        fu->sequenceIdOffset = IntOpt(f, "sequenceIdOffset", 30);
        fu->timestampOffset = IntOpt(f, "timestampOffset", 34);
        fu->send = ReadSendSpec(f.Get("send"));
        (void)p.Frame(fu->message.data(), fu->message.size(), fu->send);  // validate now
        t.followUp = fu;
      }
      return Napi::Number::New(env, static_cast<double>(p.StartTrain(t)));
    } catch (const TransportError& e) {
      throw ToJsError(env, e);
    }
  }

  Napi::Value StartLoad(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Port& p = Live(env);
    try {
      if (!info[0].IsObject()) throw TransportError("EINVAL_OPTION", "startLoad(options)");
      Napi::Object o = info[0].As<Napi::Object>();
      LoadSpec l;
      l.message = Bytes(o.Get("message"), "message");
      l.send = ReadSendSpec(o.Get("send"));
      l.durationNs = ToInt64(o.Get("durationNs"), "durationNs");
      l.ratePps = Has(o, "ratePps") ? static_cast<uint64_t>(ToInt64(o.Get("ratePps"), "ratePps")) : 0;
      l.batch = IntOpt(o, "batch", 32);
      l.sequenceIdOffset = IntOpt(o, "sequenceIdOffset", 30);
      return Napi::Number::New(env, static_cast<double>(p.StartLoad(l)));
    } catch (const TransportError& e) {
      throw ToJsError(env, e);
    }
  }

  Napi::Value StopJob(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!port_ || port_->closed()) return Napi::Boolean::New(env, false);
    return Napi::Boolean::New(env, port_->StopJob(static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value())));
  }

  // Synchronous: joins the native threads, closes the sockets and returns the
  // events that had not been delivered yet (including ECLOSED for sends whose
  // TX timestamp never came).
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!port_ || port_->closed()) return Napi::Array::New(env, 0);
    port_->Close();
    std::vector<Event> rest;
    {
      std::lock_guard<std::mutex> lk(queue_->m);
      queue_->closed = true;
      rest.swap(queue_->items);
    }
    if (!released_) {
      released_ = true;
      queue_->tsfn.Release();
    }
    return ToJsArray(env, rest);
  }

  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!port_) return env.Null();
    const InterfaceInfo& itf = port_->interface();
    const TimestampingState& ts = port_->timestamping();
    Napi::Object o = Napi::Object::New(env);
    o.Set("interface", itf.name);
    o.Set("ifindex", itf.ifindex);
    o.Set("mac", MacText(itf.mac));
    o.Set("mtu", itf.mtu);
    Napi::Object t = Napi::Object::New(env);
    t.Set("mode", ts.mode == TsMode::Hardware ? "hardware" : "software");
    t.Set("clock", ts.mode == TsMode::Hardware ? "phc" : "system");
    t.Set("requested", ts.requested);
    t.Set("phcIndex", ts.phcIndex >= 0 ? Napi::Value(Napi::Number::New(env, ts.phcIndex)) : env.Null());
    t.Set("interfacePhcIndex", ts.caps.phcIndex >= 0 ? Napi::Value(Napi::Number::New(env, ts.caps.phcIndex)) : env.Null());
    t.Set("soTimestampingCaps", ts.caps.soTimestamping);
    t.Set("txTypes", ts.caps.txTypes);
    t.Set("rxFilters", ts.caps.rxFilters);
    t.Set("ethtoolAnswered", ts.caps.queried);
    if (!ts.rxFilter.empty()) t.Set("rxFilter", ts.rxFilter);
    t.Set("reason", ts.reason);
    o.Set("timestamping", t);
    const RealtimeState rt = port_->realtime();
    Napi::Object r = Napi::Object::New(env);
    r.Set("policy", rt.policy);
    r.Set("priority", rt.priority);
    r.Set("memoryLocked", rt.memoryLocked);
    r.Set("note", rt.note);
    o.Set("scheduler", r);
    o.Set("latencyLeadNs", Napi::BigInt::New(env, port_->latencyLeadNs()));
    o.Set("unmatchedTxTimestamps", static_cast<double>(port_->unmatchedTimestamps()));
    o.Set("closed", port_->closed());
    return o;
  }

  Napi::Value Ref(const Napi::CallbackInfo& info) {
    if (!released_) queue_->tsfn.Ref(info.Env());
    return info.Env().Undefined();
  }
  Napi::Value Unref(const Napi::CallbackInfo& info) {
    if (!released_) queue_->tsfn.Unref(info.Env());
    return info.Env().Undefined();
  }

  std::shared_ptr<EventQueue> queue_;
  std::unique_ptr<Port> port_;
  bool released_ = false;
};

}  // namespace

Napi::Error ToJsError(Napi::Env env, const TransportError& e) {
  Napi::Error err = Napi::Error::New(env, e.what());
  err.Set("code", e.code);
  if (e.err) err.Set("errno", Napi::Number::New(env, e.err));
  if (!e.syscall.empty()) err.Set("syscall", e.syscall);
  return err;
}

void InitPortWrap(Napi::Env env, Napi::Object exports) {
  exports.Set("NativePort", PortWrap::Define(env));
  napi_add_env_cleanup_hook(
      env, [](void*) { PortWrap::CloseAllForCleanup(); }, nullptr);
}

}  // namespace ptp
