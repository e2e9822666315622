package app.secondheart.ui

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import app.secondheart.core.LogWalkOutcome
import app.secondheart.core.TodayCard
import app.secondheart.core.WalkRepository
import java.time.Duration
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException

/** What the home screen shows. */
data class TodayState(
    val card: TodayCard? = null,
    val formError: String? = null,
    val fatalError: String? = null,
)

/** Holds the open database for the app's lifetime and drives the home screen. */
class TodayViewModel(app: Application) : AndroidViewModel(app) {
    private val _state = MutableStateFlow(TodayState())
    val state: StateFlow<TodayState> = _state

    private val walks: WalkRepository? =
        try {
            WalkRepository(SecondHeart.open(app.filesDir.resolve("second-heart.db").path))
        } catch (e: SecondHeartException) {
            _state.value = TodayState(fatalError = e.message)
            null
        }

    init { refresh() }

    /** Reloads today's totals. */
    fun refresh() {
        val repository = walks ?: return
        viewModelScope.launch {
            _state.value = _state.value.copy(card = TodayCard.from(repository.today()))
        }
    }

    /** Logs a walk that has just ended; [minutes] and [steps] are the form's text. */
    fun logWalk(minutes: String, steps: String) {
        val repository = walks ?: return
        val minutesValue = minutes.trim().toLongOrNull()
        val stepsValue = steps.trim().toLongOrNull()
        if (minutesValue == null || stepsValue == null) {
            _state.value = _state.value.copy(formError = "Enter whole numbers for minutes and steps.")
            return
        }
        viewModelScope.launch {
            when (val outcome = repository.logFinishedWalk(Duration.ofMinutes(minutesValue), stepsValue)) {
                is LogWalkOutcome.Logged -> {
                    _state.value = _state.value.copy(formError = null)
                    refresh()
                }
                is LogWalkOutcome.Rejected -> _state.value = _state.value.copy(formError = outcome.reason)
            }
        }
    }
}
