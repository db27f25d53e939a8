// merge_metric_texts: the metrics of several processes (each rendered by MetricsRegistry in the
// Prometheus text format) as one text, as if one process had served all their requests:
// counters, histogram buckets, sums and counts, and gauges add up series by series (a series is
// a metric name with its labels). A few gauges mean the same in every process and do not add:
// the start time is the earliest, the model load time the longest, and a usage ratio (`*_perc`)
// the mean. A series only some processes have is kept with their total.
#pragma once

#include <string>
#include <vector>

namespace assistd::ops {

std::string merge_metric_texts(const std::vector<std::string>& texts);

}  // namespace assistd::ops
