// The outcome of an operation that can fail: a code and a message, in the
// spirit of LevelDB's Status. Libraries return it; the command line turns
// its code into an exit status in one place (cli/command.cc).

#ifndef FIDX_STATUS_H_
#define FIDX_STATUS_H_

#include <string>
#include <utility>

namespace fidx {

class Status {
 public:
  enum class Code {
    kOk,
    kNotFound,         // what was asked for is not there (a filing, a file)
    kInvalidArgument,  // a bad argument or query
    kLocked,           // another writer holds the index (waiting may help)
    kNoIndex,          // no index there, or not one fidx wrote / can read
    kIOError,          // reading or writing failed (disk full, permissions)
    kInterrupted,      // stopped by a signal; committed work is kept
    kUnavailable,      // a remote shard cannot be reached
  };

  // Success.
  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status InvalidArgument(std::string m) {
    return Status(Code::kInvalidArgument, std::move(m));
  }
  static Status Locked(std::string m) { return Status(Code::kLocked, std::move(m)); }
  static Status NoIndex(std::string m) { return Status(Code::kNoIndex, std::move(m)); }
  static Status IOError(std::string m) { return Status(Code::kIOError, std::move(m)); }
  static Status Interrupted(std::string m) { return Status(Code::kInterrupted, std::move(m)); }
  static Status Unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // What went wrong, for a user ("" when ok()).
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace fidx

#endif  // FIDX_STATUS_H_
