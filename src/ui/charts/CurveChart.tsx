// One training curve (loss or top-1 against steps taken), drawn with recharts. Fixed size, no
// animation: points arrive every step and the chart just redraws.
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurvePoint } from '../store/trainReducers.ts';

interface Props {
  testId: string;
  title: string;
  points: CurvePoint[];
  dataKey: 'loss' | 'acc';
  color: string;
  /** Extra data-* attributes on the wrapper (stable hooks for tests). */
  data?: Record<`data-${string}`, string>;
}

export function CurveChart({ testId, title, points, dataKey, color, data }: Props) {
  return (
    <figure className="chart" data-testid={testId} data-points={points.length} {...data}>
      <figcaption>{title}</figcaption>
      <LineChart width={420} height={200} data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
        <YAxis domain={dataKey === 'acc' ? [0, 1] : ['auto', 'auto']} width={48} />
        <Tooltip />
        <Line type="linear" dataKey={dataKey} stroke={color} dot={points.length < 30} isAnimationActive={false} />
      </LineChart>
    </figure>
  );
}
