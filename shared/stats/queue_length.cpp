// The queue's length over time (queue_length.hpp).
#include "shared/stats/queue_length.hpp"

#include <limits>

namespace csc::stats {

std::vector<int> waiting_at(const StatsLog& log, std::span<const Millis> times, std::string_view sector) {
    std::vector<int> out(times.size(), 0);
    for (const VisitRecord& v : log.visits) {
        if (!sector.empty() && v.sector != sector) continue;
        const Millis until = v.first_called_at ? v.first_called_at
                             : v.ended_at      ? v.ended_at
                                               : std::numeric_limits<Millis>::max();
        for (std::size_t i = 0; i < times.size(); ++i)
            if (times[i] >= v.issued_at && times[i] < until) ++out[i];
    }
    return out;
}

}  // namespace csc::stats
