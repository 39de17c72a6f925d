//===- FindingHandler.h - where the core's findings go ---------*- C++ -*-===//
//
// The compile's findings are the C core's (lo_merge_run() over the unit's
// summary): struct lo_finding, a place, the core's message and its notes
// in order.  A FindingHandler shows or keeps them: DiagReporter as Clang
// diagnostics, JsonFindingsWriter as the core's JSON report for `lockorder
// clangd` (-fplugin-arg-lockorder-findings=FILE).
//
// What it does not do: decide, word, place or group a finding.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_FINDINGHANDLER_H
#define LOCKORDER_PLUGIN_FINDINGHANDLER_H

#include "lockorder.h"

#include <cstring>
#include <string>

namespace lockorder {

class FindingHandler {
public:
  virtual ~FindingHandler() = default;
  /// One finding, in the core's order.
  virtual void handleFinding(const lo_finding &F) = 0;
  /// After the last finding of merge M.
  virtual void finish(const lo_merge *M) {}
};

/// The findings as the core's JSON report, written atomically to a file.
class JsonFindingsWriter : public FindingHandler {
public:
  explicit JsonFindingsWriter(std::string Path) : Path(std::move(Path)) {}
  void handleFinding(const lo_finding &) override {}
  /// Writes the report (takeError() says why it could not).
  void finish(const lo_merge *M) override {
    Err = nullptr;
    if (lo_report_write_file(M, LO_FORMAT_JSON, Path.c_str(), &Err) != 0 &&
        !Err)
      Err = strdup("unknown error");
  }
  const std::string &path() const { return Path; }
  /// What went wrong in finish(), or nullptr; the caller frees it.
  char *takeError() {
    char *E = Err;
    Err = nullptr;
    return E;
  }

private:
  std::string Path;
  char *Err = nullptr;
};

} // namespace lockorder

#endif
