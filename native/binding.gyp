# Built by native/build.mjs (node-gyp with --nodedir pointing at the local Node
# headers; nothing is downloaded). Linux only: the addon is SO_TIMESTAMPING,
# AF_PACKET and network namespaces all the way down.
{
  "targets": [
    {
      "target_name": "ptp_native",
      "sources": [
        "src/addon.cc",
        "src/clocks.cc",
        "src/errors.cc",
        "src/interface.cc",
        "src/netns.cc",
        "src/port.cc",
        "src/port_wrap.cc",
        "src/rx.cc",
        "src/scheduler.cc",
        "src/sockets.cc",
        "src/timestamping.cc"
      ],
      "include_dirs": ["<!@(node -p \"require('node-addon-api').include\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=gnu++17", "-O2", "-g", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "libraries": ["-lpthread"]
    }
  ]
}
