//===- SummaryWriter.h - the handler that records a summary ----*- C++ -*-===//
//
// The handler that turns what the analysis observes into the translation
// unit's summary (lo_summary, the C core's model).  The summary is always
// built: the compile's own findings come from running the core over it
// (lo_merge_run), and with -fplugin-arg-lockorder-summary=FILE it is also
// written out for `lockorder merge`.
//
// What it does not do: decide anything.  It copies records.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_SUMMARYWRITER_H
#define LOCKORDER_PLUGIN_SUMMARYWRITER_H

#include "LockAnalysis.h"

#include <functional>

namespace lockorder {

class SummaryWriter : public LockHandler {
public:
  using SkipFn = std::function<void(clang::SourceLocation, llvm::StringRef)>;
  /// Records into S (owned by the caller); skipped work goes to SKIPPED.
  SummaryWriter(lo_summary *S, SkipFn Skipped)
      : S(S), Skipped(std::move(Skipped)) {}

  void handleFunction(const lo_sfunc &F) override {
    lo_summary_add_function(S, &F);
  }
  void handleAcquisition(const lo_sacq &A) override {
    lo_summary_add_acq(S, &A);
  }
  void handleCall(const lo_scall &C) override { lo_summary_add_call(S, &C); }
  void handleStore(const lo_sstore &St) override {
    lo_summary_add_store(S, &St);
  }
  void handleStaticCallAlias(const lo_salias &A) override {
    lo_summary_add_alias(S, &A);
  }
  void handleReturns(const lo_sret &R) override { lo_summary_add_ret(S, &R); }
  void handleRulesName(const lo_sname &N) override {
    lo_summary_add_name(S, &N);
  }
  void handleKey(const lo_skey &K) override { lo_summary_add_key(S, &K); }
  void handleSkipped(clang::SourceLocation Loc,
                     llvm::StringRef What) override {
    if (Skipped)
      Skipped(Loc, What);
  }

private:
  lo_summary *S;
  SkipFn Skipped;
};

} // namespace lockorder

#endif
